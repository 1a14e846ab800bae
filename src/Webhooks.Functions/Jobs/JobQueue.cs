using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Jobs;

/// <summary>Sends work for a job to the <c>jobs</c> queue: one message per chunk of a batch, one per crawl.</summary>
internal sealed class JobQueue(StorageAccount storage, QueueWakeups wakeups, TimeProvider time)
{
    /// <summary>Items per batch message: small enough that settling a chunk, the job row, the event and its delivery fit one transaction (≤ 100).</summary>
    public const int BatchChunkSize = 50;

    private const int ParallelSends = 16;

    public Task EnqueueBatchAsync(string batchId, int itemsTotal, CancellationToken cancellationToken) =>
        EnqueueBatchChunksAsync(batchId, Enumerable.Range(0, (itemsTotal + BatchChunkSize - 1) / BatchChunkSize), itemsTotal, cancellationToken);

    /// <summary>Only the given chunks (chunk k = items k·<see cref="BatchChunkSize"/> onwards).</summary>
    public async Task EnqueueBatchChunksAsync(string batchId, IEnumerable<int> chunks, int itemsTotal, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = ParallelSends, CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                var from = chunk * BatchChunkSize;
                var message = new JobMessage(batchId, from, Math.Min(BatchChunkSize, itemsTotal - from));
                await storage.JobsQueue.SendMessageAsync(message.ToText(), ct);
            });
        wakeups.Notify(StorageNames.JobsQueue, time.GetUtcNow());
    }

    public async Task EnqueueCrawlAsync(string crawlId, CancellationToken cancellationToken)
    {
        await storage.JobsQueue.SendMessageAsync(new JobMessage(crawlId).ToText(), cancellationToken);
        wakeups.Notify(StorageNames.JobsQueue, time.GetUtcNow());
    }
}
