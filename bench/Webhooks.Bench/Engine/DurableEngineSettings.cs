using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Webhooks.Bench.Engine;

/// <summary>Builds the Azure Storage backend's settings from <see cref="DurableEngineOptions"/>.</summary>
public static class DurableEngineSettings
{
    /// <param name="options">The engine's options.</param>
    /// <param name="configureClients">
    /// Applied to the blob, queue and table client options the backend creates its clients with: the place to add an
    /// <see cref="Azure.Core.Pipeline.HttpPipelinePolicy"/> (counting, telemetry) or change retries.
    /// </param>
    /// <param name="loggerFactory">Where the backend logs (it logs every message it sends and receives at Information).</param>
    public static AzureStorageOrchestrationServiceSettings Build(
        DurableEngineOptions options, Action<ClientOptions>? configureClients = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var blob = new BlobClientOptions();
        var queue = new QueueClientOptions();
        var table = new TableClientOptions();
        foreach (var clientOptions in new ClientOptions[] { blob, queue, table })
        {
            configureClients?.Invoke(clientOptions);
        }
        return new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = options.TaskHubName,
            PartitionCount = options.PartitionCount,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            ExtendedSessionsEnabled = options.ExtendedSessions,
            ExtendedSessionIdleTimeout = options.ExtendedSessionIdleTimeout,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
            ControlQueueBatchSize = options.ControlQueueBatchSize,
            DisableExecutionStartedDeduplication = options.DisableExecutionStartedDeduplication,
            WorkerId = options.WorkerId ?? $"{Environment.MachineName}-{Environment.ProcessId}",
            StorageAccountClientProvider = new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(options.ConnectionString, blob),
                StorageServiceClientProvider.ForQueue(options.ConnectionString, queue),
                StorageServiceClientProvider.ForTable(options.ConnectionString, table)),
            LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance,
        };
    }
}
