using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Jobs;

/// <summary>
/// Re-enqueues the work of jobs still <c>in_progress</c> with no progress for <see cref="JobsOptions.StallTimeout"/>:
/// a lost or poisoned work message must not leave a job unfinished forever. Duplicated work is harmless (the handler
/// is idempotent); the job's <c>LastProgressAt</c> is moved first, with its ETag, so each stall is re-enqueued once per
/// timeout and never by two sweepers.
/// </summary>
internal sealed partial class StalledJobSweep(
    StorageAccount storage, JobQueue queue, IOptions<JobsOptions> options, TimeProvider time, ILogger<StalledJobSweep> logger) : ISweepTask
{
    public string Name => "stalled-jobs";

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stalledBefore = now - options.Value.StallTimeout;
        var filter = TableClient.CreateQueryFilter(
            $"RowKey eq {JobRows.Job} and Status eq {JobStatus.InProgress} and LastProgressAt lt {stalledBefore}");
        await foreach (var job in storage.Jobs.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "Kind", "ItemsTotal"], cancellationToken: cancellationToken))
        {
            try
            {
                var touch = new TableEntity(job.PartitionKey, JobRows.Job) { ["LastProgressAt"] = now };
                await storage.Jobs.UpdateEntityAsync(touch, job.ETag, TableUpdateMode.Merge, cancellationToken);
            }
            catch (RequestFailedException e) when (e.IsUpdateConditionNotSatisfied())
            {
                // It moved since we looked: not stalled, or another sweeper took it.
                continue;
            }
            if (job.GetString("Kind") == JobKinds.Crawl)
            {
                await queue.EnqueueCrawlAsync(job.PartitionKey, cancellationToken);
            }
            else
            {
                var chunks = await PendingChunksAsync(job.PartitionKey, cancellationToken);
                await queue.EnqueueBatchChunksAsync(job.PartitionKey, chunks, job.GetInt32("ItemsTotal") ?? 0, cancellationToken);
            }
            LogRequeued(logger, job.PartitionKey);
        }
    }

    private async Task<List<int>> PendingChunksAsync(string batchId, CancellationToken cancellationToken)
    {
        var chunks = new SortedSet<int>();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {batchId} and RowKey ge {JobRows.ItemPrefix} and RowKey lt {JobRows.ItemPrefix + KeyRange.End} and Status eq {JobStatus.Pending}");
        await foreach (var item in storage.Jobs.QueryAsync<TableEntity>(filter, select: ["Position"], cancellationToken: cancellationToken))
        {
            chunks.Add((item.GetInt32("Position") ?? 0) / JobQueue.BatchChunkSize);
        }
        return [.. chunks];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} made no progress for too long; its work was enqueued again")]
    private static partial void LogRequeued(ILogger logger, string jobId);
}
