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
/// the last item also marks the batch completed and writes its event, so exactly one worker raises it
/// (<see cref="JobSettlement"/>, the path crawls take too).
/// </summary>
internal sealed partial class BatchWorker(
    StorageAccount storage, PageFetcher fetcher, JobSettlement settlement, JobLocks locks, TimeProvider time, ILogger<BatchWorker> logger)
    : IJobWorker
{
    private const int ItemConcurrency = 8;

    public string Kind => JobKinds.Batch;

    public bool Accepts(JobMessage message) => message is { Count: > 0 };

    public Task RunAsync(JobMessage message, CancellationToken cancellationToken) => RunChunkAsync(message, cancellationToken);

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
            await settlement.ResumeAsync(batchId, cancellationToken);
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

        JobSettle? settled;
        using (await locks.AcquireAsync(batchId, cancellationToken))
        {
            settled = await SettleAsync(batchId, pending, results, message, cancellationToken);
        }
        if (settled is not null)
        {
            await settlement.PublishAsync(settled, cancellationToken);
        }
    }

    private async Task<FetchResult> FetchItemAsync(string batchId, ItemEntity item, CancellationToken cancellationToken) =>
        Uri.TryCreate(item.Url, UriKind.Absolute, out var url)
            ? await fetcher.FetchAsync(url, JobRows.BlobName(batchId, item.RowKey), extractLinks: false, cancellationToken)
            : new FetchResult { Succeeded = false, Error = "Invalid URL", Reason = "Invalid URL" };

    /// <summary>The committed settle (to publish after the lock), or null when there was nothing left to settle.</summary>
    private async Task<JobSettle?> SettleAsync(
        string batchId, List<ItemEntity> pending, ConcurrentDictionary<int, FetchResult> results, JobMessage message, CancellationToken cancellationToken)
    {
        // Read after taking the lock: this process's other chunks have moved the ETag since the chunk started.
        var batch = await LoadBatchAsync(batchId, cancellationToken);
        if (batch is null || JobStatus.IsFinal(batch.Status))
        {
            await settlement.ResumeAsync(batchId, cancellationToken);
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
            JobEnding? ending = null;
            if (batch.ItemsCompleted + batch.ItemsFailed >= batch.ItemsTotal)
            {
                batch.Status = JobStatus.Completed;
                batch.CompletedAt = now;
                var data = JsonSerializer.Serialize(BatchResponse.From(batch), ApiJson.Options);
                ending = new JobEnding(batch.TeamId, batch.PartitionKey, EventTypes.BatchCompleted, data, batch.Webhook);
            }
            var batchAction = actions.Count;
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, batch, batch.ETag));

            JobSettle settled;
            try
            {
                settled = await settlement.SettleAsync(actions, batchAction, ending, cancellationToken);
            }
            catch (RequestFailedException e) when (e.IsWriteConflict())
            {
                // Another worker settled something in this batch first. The batch row is read before the items, so
                // any item settled up to that read shows as settled and is left out below.
                var reloaded = await LoadBatchAsync(batch.PartitionKey, cancellationToken);
                if (reloaded is null || JobStatus.IsFinal(reloaded.Status))
                {
                    await settlement.ResumeAsync(batch.PartitionKey, cancellationToken);
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
            if (settled.EndedJob)
            {
                LogBatchCompleted(logger, batch.PartitionKey, batch.ItemsCompleted, batch.ItemsFailed);
            }
            return settled;
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
