namespace Webhooks.Functions.Storage;

/// <summary>
/// The code behind a queue function (<c>jobs</c>, <c>deliveries</c>). Returning normally completes the message; an
/// exception makes it come back after <c>Hosting/QueuePoller.RetryDelay</c>, and go to the poison queue after
/// <c>QueuePoller.MaxDequeueCount</c> tries.
/// </summary>
internal interface IQueueHandler
{
    /// <summary>The queue's name without <c>Storage:Prefix</c> (also the Functions function name).</summary>
    string QueueName { get; }

    /// <summary>How long a received message stays hidden while it is handled; longer than the slowest handling.</summary>
    TimeSpan VisibilityTimeout { get; }

    Task HandleAsync(QueueWork work, CancellationToken cancellationToken);
}
