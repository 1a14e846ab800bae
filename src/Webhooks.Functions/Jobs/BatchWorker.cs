using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Webhooks.Functions.Api;
using Webhooks.Functions.Events;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Jobs;

/// <summary>
/// Fetches one chunk of a batch and settles it exactly once: the chunk's item rows and the batch's counters change in
/// one transaction conditional on every row's ETag. When another worker got there first (412), the rows are read
/// again and only what is still pending is applied, so an item is never counted twice; the transaction that settles
/// the last item also marks the batch completed and writes its event, so exactly one worker raises it.
/// </summary>
internal sealed partial class BatchWorker(
    StorageAccount storage, PageFetcher fetcher, EventRaiser events, JobLocks locks, TimeProvider time, ILogger<BatchWorker> logger)
{
    private const int ItemConcurrency = 8;

    public async Task RunChunkAsync(JobMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var batchId = message.JobId;
        var batch = await LoadBatchAsync(batchId, cancellationToken);
        if (batch is null)
        {
            LogUnknownJob(logger, batchId);
            return;
        }
        if (JobStatus.IsFinal(batch.Status))
        {
            await events.ResumeAsync(batchId, cancellationToken);
            return;
        }
        var pending = await LoadPendingItemsAsync(batchId, message.From, message.Count, cancellationToken);
        if (pending.Count == 0)
        {
            return;
        }

        var results = new ConcurrentDictionary<int, FetchResult>();
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = ItemConcurrency, CancellationToken = cancellationToken },
            async (item, ct) => results[item.Position] = await FetchItemAsync(batchId, item, ct));

        RaisedEvent? raised;
        using (await locks.AcquireAsync(batchId, cancellationToken))
        {
            raised = await SettleAsync(batchId, pending, results, message, cancellationToken);
        }
        if (raised is not null)
        {
            await events.PublishAsync(raised, cancellationToken);
        }
    }

    private async Task<FetchResult> FetchItemAsync(string batchId, ItemEntity item, CancellationToken cancellationToken) =>
        Uri.TryCreate(item.Url, UriKind.Absolute, out var url)
            ? await fetcher.FetchAsync(url, JobRows.BlobName(batchId, item.RowKey), extractLinks: false, cancellationToken)
            : new FetchResult { Succeeded = false, Error = "Invalid URL", Reason = "Invalid URL" };

    /// <summary>The completion event when this settle completed the batch (to publish after the lock), else null.</summary>
    private async Task<RaisedEvent?> SettleAsync(
        string batchId, List<ItemEntity> pending, ConcurrentDictionary<int, FetchResult> results, JobMessage message, CancellationToken cancellationToken)
    {
        // Read after taking the lock: this process's other chunks have moved the ETag since the chunk started.
        var batch = await LoadBatchAsync(batchId, cancellationToken);
        if (batch is null || JobStatus.IsFinal(batch.Status))
        {
            await events.ResumeAsync(batchId, cancellationToken);
            return null;
        }
        while (true)
        {
            var now = time.GetUtcNow();
            var actions = new List<TableTransactionAction>(pending.Count + 3);
            foreach (var item in pending)
            {
                var result = results[item.Position];
                item.Apply(result, now);
                if (result.Succeeded)
                {
                    batch.ItemsCompleted++;
                }
                else
                {
                    batch.ItemsFailed++;
                }
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, item, item.ETag));
            }
            batch.LastProgressAt = now;
            RaisedEvent? raised = null;
            if (batch.ItemsCompleted + batch.ItemsFailed >= batch.ItemsTotal)
            {
                batch.Status = JobStatus.Completed;
                batch.CompletedAt = now;
                var data = JsonSerializer.Serialize(BatchResponse.From(batch), ApiJson.Options);
                raised = await events.PrepareAsync(batch.TeamId, batch.PartitionKey, EventTypes.BatchCompleted, data, batch.Webhook, cancellationToken);
            }
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, batch, batch.ETag));
            if (raised is not null)
            {
                actions.AddRange(raised.TransactionActions);
            }

            try
            {
                await storage.Jobs.SubmitTransactionAsync(actions, cancellationToken);
            }
            catch (RequestFailedException e) when (e.IsWriteConflict())
            {
                // Another worker settled something in this batch first. The batch row is read before the items, so
                // any item settled up to that read shows as settled and is left out below.
                var reloaded = await LoadBatchAsync(batch.PartitionKey, cancellationToken);
                if (reloaded is null || JobStatus.IsFinal(reloaded.Status))
                {
                    await events.ResumeAsync(batch.PartitionKey, cancellationToken);
                    return null;
                }
                batch = reloaded;
                pending = await LoadPendingItemsAsync(batch.PartitionKey, message.From, message.Count, cancellationToken);
                if (pending.Count == 0)
                {
                    return null;
                }
                continue;
            }
            if (raised is not null)
            {
                LogBatchCompleted(logger, batch.PartitionKey, batch.ItemsCompleted, batch.ItemsFailed);
            }
            return raised;
        }
    }

    private async Task<BatchEntity?> LoadBatchAsync(string batchId, CancellationToken cancellationToken)
    {
        var row = await storage.Jobs.GetEntityIfExistsAsync<BatchEntity>(batchId, JobRows.Job, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    private async Task<List<ItemEntity>> LoadPendingItemsAsync(string batchId, int from, int count, CancellationToken cancellationToken)
    {
        var first = JobRows.Item(from);
        var last = JobRows.Item(from + count - 1);
        var pending = new List<ItemEntity>(count);
        await foreach (var item in storage.Jobs.QueryAsync<ItemEntity>(
            i => i.PartitionKey == batchId && i.RowKey.CompareTo(first) >= 0 && i.RowKey.CompareTo(last) <= 0,
            cancellationToken: cancellationToken))
        {
            if (item.Status == JobStatus.Pending)
            {
                pending.Add(item);
            }
        }
        return pending;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job message for {JobId} names no job; dropped")]
    private static partial void LogUnknownJob(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {JobId} completed: {Completed} succeeded, {Failed} failed")]
    private static partial void LogBatchCompleted(ILogger logger, string jobId, int completed, int failed);
}
