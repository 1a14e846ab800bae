using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Jobs;

/// <summary>
/// The <c>jobs</c> queue function: a chunk of a batch or a whole crawl, each run by its kind's <see cref="IJobWorker"/>.
/// Safe to run twice or in parallel for the same message: every step is settled against the table with ETags, and a
/// finished job only re-arms its deliveries.
/// </summary>
internal sealed partial class JobsQueueHandler(IEnumerable<IJobWorker> workers, ILogger<JobsQueueHandler> logger) : IQueueHandler
{
    public string QueueName => StorageNames.JobsQueue;

    /// <summary>Longer than a chunk takes (8 at a time, 30 s each); the poller renews it for long crawls.</summary>
    public TimeSpan VisibilityTimeout => TimeSpan.FromMinutes(5);

    public Task HandleAsync(QueueWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var message = JobMessage.TryParse(work.MessageText);
        if (message is not null && workers.FirstOrDefault(w => Ids.IsValid(message.JobId, w.Kind) && w.Accepts(message)) is { } worker)
        {
            return worker.RunAsync(message, cancellationToken);
        }
        // Retrying cannot make a malformed message valid; dropping it loses nothing the stalled-job sweep cannot redo.
        LogMalformed(logger, work.MessageId);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Jobs queue message {MessageId} is not a job message; dropped")]
    private static partial void LogMalformed(ILogger logger, string? messageId);
}
