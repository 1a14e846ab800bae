using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Webhooks.Functions.Hosting.Worker;

/// <summary>The <c>sweeper</c> timer function: every minute, the same repairs as the standalone app's sweeper timer.</summary>
internal sealed partial class SweeperFunction(Sweeper sweeper, StorageReadiness storage, TimeProvider time, ILogger<SweeperFunction> logger)
{
    public const string Name = "sweeper";

    [Function(Name)]
    public async Task RunAsync([TimerTrigger(Sweeper.Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.IsPastDue)
        {
            LogPastDue(logger);
        }
        // A tick during start-up is skipped rather than failed: the next one comes within a minute.
        if (await storage.WaitAsync(QueueFunctions.StorageWait, time, cancellationToken))
        {
            // The unstarted-delivery repair starts orchestrations.
            using var _ = FunctionsDeliveryOrchestrations.Bind(durable);
            await sweeper.RunAsync(cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The sweeper timer ran late (IsPastDue)")]
    private static partial void LogPastDue(ILogger logger);
}
