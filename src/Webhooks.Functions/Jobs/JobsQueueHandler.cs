using Webhooks.Functions.Crawling;
using Webhooks.Functions.Hosting;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Jobs;

/// <summary>
/// The <c>jobs</c> queue function: a chunk of a batch or a whole crawl. Safe to run twice or in parallel for the same
/// message: every step is settled against the table with ETags, and a finished job only re-arms its deliveries.
/// </summary>
internal sealed partial class JobsQueueHandler(BatchWorker batches, CrawlWorker crawls, ILogger<JobsQueueHandler> logger) : IQueueHandler
{
    public string QueueName => StorageNames.JobsQueue;

    /// <summary>Longer than a chunk takes (8 at a time, 30 s each); the poller renews it for long crawls.</summary>
    public TimeSpan VisibilityTimeout => TimeSpan.FromMinutes(5);

    public Task HandleAsync(QueueWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var message = JobMessage.TryParse(work.MessageText);
        if (message is not null && Ids.IsValid(message.JobId, JobKinds.Batch) && message.Count > 0)
        {
            return batches.RunChunkAsync(message, cancellationToken);
        }
        if (message is not null && Ids.IsValid(message.JobId, JobKinds.Crawl))
        {
            return crawls.RunAsync(message.JobId, cancellationToken);
        }
        // Retrying cannot make a malformed message valid; dropping it loses nothing the stalled-job sweep cannot redo.
        LogMalformed(logger, work.MessageId);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Jobs queue message {MessageId} is not a job message; dropped")]
    private static partial void LogMalformed(ILogger logger, string? messageId);
}
