using Azure.Core.Pipeline;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging.Abstractions;
using Webhooks.Functions.Hosting.Durable;
using Webhooks.Functions.Storage;

namespace Webhooks.Bench.Engine;

/// <summary>
/// The backend's settings for the bench's own engines, built by the product's <see cref="DurableEngineSettings"/>
/// from a <see cref="DurableOptions"/>: the ceiling measures the settings the product runs, not a copy of them.
/// </summary>
internal static class EngineSettings
{
    /// <summary>What the backend does when nothing is set, expressed as the product's options (the "defaults" configuration).</summary>
    public static DurableOptions BackendDefaults() => new()
    {
        PartitionCount = 4,
        MaxQueuePollingInterval = TimeSpan.FromSeconds(30),
        ExtendedSessions = false,
        ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(30),
        MaxConcurrentOrchestrations = 100,
        MaxConcurrentActivities = 10,
        MessageVisibilityTimeout = TimeSpan.FromMinutes(5),
        PartitionLeaseInterval = TimeSpan.FromSeconds(30),
    };

    /// <param name="counter">Added to the backend's blob, queue and table pipelines: counts every request it makes.</param>
    /// <param name="startDeduplicationRead">
    /// The worker's Instances read per start message, the backend's default. The product turns it off (it starts with
    /// bare ExecutionStarted messages); configurations that start through TaskHubClient keep it.
    /// </param>
    public static AzureStorageOrchestrationServiceSettings Build(
        string connectionString, string taskHub, DurableOptions options, HttpPipelinePolicy? counter = null, string? workerId = null,
        bool startDeduplicationRead = true)
    {
        var settings = DurableEngineSettings.Build(options, taskHub,
            StorageAccount.DurableClientProvider(connectionString, counter is null ? [] : [counter]), NullLoggerFactory.Instance);
        settings.DisableExecutionStartedDeduplication = !startDeduplicationRead;
        if (workerId is not null)
        {
            settings.WorkerId = workerId;
        }
        return settings;
    }
}
