using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Webhooks.Functions.Jobs;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Hosting.Worker;

/// <summary>
/// The queue functions: the host's queue trigger brings one message, the same handler as the standalone poller's runs it.
/// Returning completes the message (the host deletes it); an exception fails the invocation, the host makes the message
/// visible again after <c>visibilityTimeout</c> (host.json) and, after <c>maxDequeueCount</c> tries, moves it to
/// <c>&lt;queue&gt;-poison</c>, where nothing reads it again. A job whose message went there stops making progress, and
/// the sweeper's stalled-job repair (<see cref="StalledJobSweep"/>) enqueues its remaining work anew after
/// <c>Jobs:StallTimeout</c>.
/// </summary>
internal sealed class QueueFunctions(
    JobsQueueHandler jobs, StorageReadiness storage, TimeProvider time)
{
    /// <summary>The app setting (or <c>__accountName</c> / <c>__queueServiceUri</c> group) of the storage account.</summary>
    public const string Connection = "AzureWebJobsStorage";

    /// <summary>How long a message that arrives during start-up waits for the storage set-up before it is retried.</summary>
    public static readonly TimeSpan StorageWait = TimeSpan.FromMinutes(1);

    [Function(StorageNames.JobsQueue)]
    public async Task JobsAsync(
        [QueueTrigger(StorageNames.JobsQueue, Connection = Connection)] QueueMessage message,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        await storage.EnsureReadyAsync(StorageWait, time, cancellationToken);
        // A job's completion starts its deliveries' orchestrations; the message is deleted only after they started.
        using var _ = FunctionsDeliveryOrchestrations.Bind(durable);
        await jobs.HandleAsync(QueueWork.From(message), cancellationToken);
    }

}
