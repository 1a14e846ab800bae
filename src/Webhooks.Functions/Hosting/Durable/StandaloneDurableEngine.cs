using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Hosting.Durable;

/// <summary>
/// The standalone app's Durable Task engine: DurableTask.Core's worker and client on the Azure Storage backend, in this
/// process, against the app's storage account — the same task hub tables, control and work-item queues and partition
/// leases that the Functions host's Durable extension uses in Azure. The orchestrator and activity classes are the
/// ones the Functions worker runs, adapted by the durabletask-dotnet shims.
/// <para>
/// Several processes on one task hub share its partitions (control queues) through blob leases; when one dies, the
/// others take its partitions over once its leases expire, and its orchestrations continue from their history.
/// </para>
/// </summary>
internal sealed partial class StandaloneDurableEngine : IHostedService, IDeliveryOrchestrations, IAsyncDisposable
{
    /// <summary>
    /// What <see cref="StartOrRestartEndedAsync"/> leaves alone: every state but those of an orchestration that has
    /// ended (it is asked only for deliveries whose row is still pending).
    /// </summary>
    private static readonly OrchestrationStatus[] NeverRestart =
        [.. Enum.GetValues<OrchestrationStatus>().Where(s => !EndedOrchestrations.IsEnded(s))];

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly AzureStorageOrchestrationService _service;
    private readonly TaskHubWorker _worker;
    private readonly TaskHubClient _client;
    private readonly ShimDataConverter _converter;
    private readonly ILogger<StandaloneDurableEngine> _logger;
    private readonly StorageReadiness _readiness;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private Task _starting = Task.CompletedTask;

    public StandaloneDurableEngine(
        StorageAccount storage,
        IOptions<DurableOptions> options,
        IOptions<StorageOptions> storageOptions,
        StorageReadiness readiness,
        TimeProvider time,
        IServiceProvider services,
        ILoggerFactory loggerFactory)
    {
        _readiness = readiness;
        _time = time;
        ArgumentNullException.ThrowIfNull(storage);
        var o = options.Value;
        _logger = loggerFactory.CreateLogger<StandaloneDurableEngine>();
        _service = new AzureStorageOrchestrationService(DurableEngineSettings.Build(
            o, o.TaskHubFor(storageOptions.Value.Prefix), storage.DurableClientProvider(), loggerFactory));

        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions(), loggerFactory);
        _worker = new TaskHubWorker(_service, loggerFactory);
        _worker.AddTaskOrchestrations(new ServiceCreator<TaskOrchestration>(
            DeliverWebhookOrchestrator.Name, () => shims.CreateOrchestration(DeliverWebhookOrchestrator.Name, new DeliverWebhookOrchestrator())));
        // Resolved when the engine first runs them, not here: the activities reach this engine themselves (an attempt can
        // raise an operational event, whose delivery starts an orchestration), so resolving them while it is being
        // constructed would be a cycle.
        _worker.AddTaskActivities(new ServiceCreator<TaskActivity>(
            DeliveryAttemptActivity.Name, () => shims.CreateActivity(DeliveryAttemptActivity.Name, services.GetRequiredService<DeliveryAttemptActivity>())));
        _worker.AddTaskActivities(new ServiceCreator<TaskActivity>(
            DeliveryExhaustedActivity.Name, () => shims.CreateActivity(DeliveryExhaustedActivity.Name, services.GetRequiredService<DeliveryExhaustedActivity>())));
        // Inputs are written as the shims read them (System.Text.Json), not with DurableTask.Core's default.
        _converter = new ShimDataConverter(new DurableTaskWorkerOptions().DataConverter);
        _client = new TaskHubClient(_service, _converter, loggerFactory);
    }

    /// <summary>
    /// Starts the worker in the background once storage is set up (<see cref="StorageReadiness"/>), retrying while
    /// storage is unavailable, so that the process answers at once whatever storage is doing.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _starting = Task.Run(() => StartWhenStorageIsReadyAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StartWhenStorageIsReadyAsync(CancellationToken stoppingToken)
    {
        await _readiness.WaitAsync(stoppingToken);
        while (true)
        {
            try
            {
                await _service.CreateIfNotExistsAsync();
                await _worker.StartAsync();
                return;
            }
            catch (Exception e) when (StorageUnavailable.Is(e, stoppingToken))
            {
                LogWaitingForStorage(_logger, e.GetBaseException().Message);
                await Task.Delay(TimeSpan.FromSeconds(2), _time, stoppingToken);
            }
        }
    }

    /// <summary>
    /// Lets work in flight finish, for at most <see cref="StopTimeout"/>: after storage went away the backend's
    /// partition manager can wait ten minutes to stop. Whatever is cut short is at-least-once work the engine redoes.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _starting.WaitAsync(StopTimeout, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Never started: nothing to stop.
            return;
        }
        try
        {
            await _worker.StopAsync(isForced: false).WaitAsync(StopTimeout, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            LogStopCutShort(_logger);
        }
    }

    public async Task StartDeliveriesAsync(IReadOnlyList<DeliveryInput> deliveries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        await Task.WhenAll(deliveries.Select(StartOneAsync));
    }

    /// <summary>
    /// Starts a delivery's orchestration with one storage operation: its ExecutionStarted message, sent to the control
    /// queue its id hashes to. <see cref="TaskHubClient.CreateOrchestrationInstanceAsync(string, string, string, object)"/>
    /// costs three (an Instances read, the send, an Instances insert) and makes the worker read the Instances row
    /// again; here the first checkpoint writes the row, as Running.
    /// <para>
    /// The execution id is the delivery id, so every start of a delivery is the same message: a repeat that meets the
    /// instance running or finished is dropped by the engine as a duplicate start (it would restart the instance only
    /// with a new execution id), and two that arrive together run once. Needs
    /// <see cref="AzureStorageOrchestrationServiceSettings.DisableExecutionStartedDeduplication"/>: with it off, the
    /// worker looks for the Instances row a client start writes and defers the message while there is none.
    /// </para>
    /// </summary>
    private async Task StartOneAsync(DeliveryInput delivery)
    {
        var instance = new OrchestrationInstance { InstanceId = delivery.DeliveryId, ExecutionId = delivery.DeliveryId };
        await _service.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = instance,
            Event = new ExecutionStartedEvent(-1, _converter.Serialize(delivery))
            {
                Name = DeliverWebhookOrchestrator.Name,
                Version = "",
                OrchestrationInstance = instance,
            },
        });
    }

    /// <summary>
    /// The sweeper's start, for deliveries overdue by minutes. With no instance, the same bare start as
    /// <see cref="StartDeliveriesAsync"/> (a start still queued somewhere is the same execution, so one of the two is dropped).
    /// An instance that failed or was terminated is started afresh through the client, under a new execution id: a
    /// bare start carries the delivery id as its execution id, which the engine would drop as a repeat.
    /// </summary>
    public async Task StartOrRestartEndedAsync(IReadOnlyList<DeliveryInput> deliveries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        await Task.WhenAll(deliveries.Select(async delivery =>
        {
            var state = await _client.GetOrchestrationStateAsync(delivery.DeliveryId);
            if (state is null)
            {
                await StartOneAsync(delivery);
                LogStartedBySweep(_logger, delivery.DeliveryId, "none");
                return;
            }
            if (!NeverRestart.Contains(state.OrchestrationStatus))
            {
                try
                {
                    await _client.CreateOrchestrationInstanceAsync(
                        DeliverWebhookOrchestrator.Name, "", delivery.DeliveryId, delivery, tags: null, dedupeStatuses: NeverRestart);
                    LogStartedBySweep(_logger, delivery.DeliveryId, state.OrchestrationStatus.ToString());
                }
                catch (OrchestrationAlreadyExistsException)
                {
                    // Started again meanwhile by another process's sweep: that start is the one that counts.
                }
            }
        }));
    }

    /// <summary>
    /// Purges through the backend (<see cref="AzureStorageOrchestrationService.PurgeInstanceHistoryAsync(string)"/>):
    /// one status read per instance, then the purge's own reads and deletes of its history and instance rows.
    /// </summary>
    public async Task<bool> PurgeAsync(IReadOnlyList<string> deliveryIds, bool terminateRunning, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveryIds);
        var gone = await Task.WhenAll(deliveryIds.Select(async id =>
        {
            var state = await _client.GetOrchestrationStateAsync(id);
            if (state is null)
            {
                return true;
            }
            if (EndedOrchestrations.IsEnded(state.OrchestrationStatus))
            {
                await _service.PurgeInstanceHistoryAsync(id);
                return true;
            }
            if (terminateRunning)
            {
                await _client.TerminateInstanceAsync(new OrchestrationInstance { InstanceId = id }, IDeliveryOrchestrations.TerminationReason);
            }
            return false;
        }));
        return gone.All(g => g);
    }

    /// <summary>The runtime status of an orchestration instance (<c>Running</c>, <c>Completed</c> …), or null if there is none.</summary>
    public async Task<string?> GetRuntimeStatusAsync(string instanceId)
    {
        var state = await _client.GetOrchestrationStateAsync(instanceId);
        return state?.OrchestrationStatus.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        _worker.Dispose();
        _stopping.Dispose();
        await Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Durable Task engine waiting for storage: {Reason}")]
    private static partial void LogWaitingForStorage(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} had no running orchestration (instance: {Instance}): started by the sweeper")]
    private static partial void LogStartedBySweep(ILogger logger, string deliveryId, string instance);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Durable Task engine did not stop in time; its unfinished work runs again at the next start")]
    private static partial void LogStopCutShort(ILogger logger);
}
