using Azure.Data.Tables;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Jobs;

/// <summary>Creates batches and reads them for the API.</summary>
internal sealed class BatchStore(StorageAccount storage, JobQueue queue, TimeProvider time)
{
    private const int ParallelTransactions = 8;

    /// <summary>
    /// Writes the item rows (transactions of 100), then the batch row — last, so a half-created batch is never
    /// visible — then enqueues its chunks. <paramref name="resuming"/>: an earlier attempt with the same idempotency
    /// key may have written some of it; if its batch row exists the batch is complete and only its work is re-sent.
    /// </summary>
    public async Task<BatchEntity> CreateAsync(
        string teamId, string batchId, IReadOnlyList<BatchItemRequest> items, string? webhook, bool resuming, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (resuming && await GetAsync(teamId, batchId, cancellationToken) is { } existing)
        {
            await queue.EnqueueBatchAsync(batchId, existing.ItemsTotal, cancellationToken);
            return existing;
        }
        var now = time.GetUtcNow();
        var rows = items.Select((item, position) => new ItemEntity
        {
            PartitionKey = batchId,
            RowKey = JobRows.Item(position),
            Position = position,
            CustomId = item.CustomId,
            Url = item.Url,
        });
        // Upserts: a resumed creation overwrites whatever part an earlier attempt wrote (nothing has fetched them yet).
        await Parallel.ForEachAsync(rows.Chunk(TableTransactions.MaxActions), new ParallelOptions { MaxDegreeOfParallelism = ParallelTransactions, CancellationToken = cancellationToken },
            async (chunk, ct) => await storage.Jobs.SubmitTransactionAsync(
                chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), ct));
        var batch = new BatchEntity
        {
            PartitionKey = batchId,
            TeamId = teamId,
            ItemsTotal = items.Count,
            Webhook = webhook,
            CreatedAt = now,
            LastProgressAt = now,
        };
        await CommittedInsert.RunAsync(() => storage.Jobs.AddEntityAsync(batch, cancellationToken),
            async () => await GetAsync(teamId, batchId, cancellationToken) is not null);
        await queue.EnqueueBatchAsync(batchId, items.Count, cancellationToken);
        return batch;
    }

    /// <summary>The batch, or null when it does not exist or belongs to another team.</summary>
    public async Task<BatchEntity?> GetAsync(string teamId, string batchId, CancellationToken cancellationToken)
    {
        if (!Ids.IsValid(batchId, JobKinds.Batch))
        {
            return null;
        }
        var row = await storage.Jobs.GetEntityIfExistsAsync<BatchEntity>(batchId, JobRows.Job, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } batch && batch.TeamId == teamId && batch.Kind == JobKinds.Batch ? batch : null;
    }

    /// <summary>Up to <paramref name="limit"/> items after row <paramref name="after"/>, and whether more follow.</summary>
    public async Task<(List<ItemEntity> Items, bool More)> ListItemsAsync(string batchId, string? after, int limit, CancellationToken cancellationToken)
    {
        var from = after ?? JobRows.ItemPrefix;
        const string end = JobRows.ItemPrefix + KeyRange.End;
        var items = new List<ItemEntity>(limit);
        await foreach (var item in storage.Jobs.QueryAsync<ItemEntity>(
            i => i.PartitionKey == batchId && i.RowKey.CompareTo(from) > 0 && i.RowKey.CompareTo(end) < 0,
            maxPerPage: Math.Min(limit + 1, 1000), cancellationToken: cancellationToken))
        {
            if (items.Count == limit)
            {
                return (items, true);
            }
            items.Add(item);
        }
        return (items, false);
    }

    /// <summary>The item with this <c>custom_id</c>, else the item at this zero-based position.</summary>
    public async Task<ItemEntity?> FindItemAsync(BatchEntity batch, string item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var batchId = batch.PartitionKey;
        const string start = JobRows.ItemPrefix;
        const string end = JobRows.ItemPrefix + KeyRange.End;
        await foreach (var match in storage.Jobs.QueryAsync<ItemEntity>(
            i => i.PartitionKey == batchId && i.RowKey.CompareTo(start) > 0 && i.RowKey.CompareTo(end) < 0 && i.CustomId == item,
            maxPerPage: 1, cancellationToken: cancellationToken))
        {
            return match;
        }
        if (int.TryParse(item, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var position)
            && position < batch.ItemsTotal)
        {
            var row = await storage.Jobs.GetEntityIfExistsAsync<ItemEntity>(batchId, JobRows.Item(position), cancellationToken: cancellationToken);
            return row.HasValue ? row.Value : null;
        }
        return null;
    }
}
