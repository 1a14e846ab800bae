using DurableTask.AzureStorage;

namespace Webhooks.Functions.Hosting.Durable;

/// <summary>
/// The Azure Storage backend's settings from the <c>Durable</c> section: the one place that turns
/// <see cref="DurableOptions"/> into them, used by the standalone engine and by the bench's bare engine ceiling (which
/// must run on exactly the product's settings to be its yardstick).
/// </summary>
internal static class DurableEngineSettings
{
    public static AzureStorageOrchestrationServiceSettings Build(
        DurableOptions options, string taskHub, StorageAccountClientProvider clients, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = taskHub,
            StorageAccountClientProvider = clients,
            PartitionCount = options.PartitionCount,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            ExtendedSessionsEnabled = options.ExtendedSessions,
            ExtendedSessionIdleTimeout = options.ExtendedSessionIdleTimeout,
            ControlQueueVisibilityTimeout = options.MessageVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = options.MessageVisibilityTimeout,
            LeaseInterval = options.PartitionLeaseInterval,
            LeaseRenewInterval = options.PartitionLeaseInterval / 3,
            LeaseAcquireInterval = options.PartitionLeaseInterval / 3,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,
            // Starts are bare ExecutionStarted messages whose execution id is the delivery id
            // (StandaloneDurableEngine.StartDeliveriesAsync): no Instances row precedes them for the worker to check, and a
            // repeated start is dropped by its execution id instead. Saves the worker's Instances read per start.
            DisableExecutionStartedDeduplication = true,
            // Two processes on one machine are two workers: each must own its partition leases under its own name.
            WorkerId = $"{Environment.MachineName}-{Environment.ProcessId}",
            LoggerFactory = loggerFactory,
        };
    }
}
