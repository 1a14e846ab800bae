using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
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
    /// <summary>An instance in any of these states is never started again under the same id.</summary>
    private static readonly OrchestrationStatus[] NeverRestart = Enum.GetValues<OrchestrationStatus>();

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly AzureStorageOrchestrationService _service;
    private readonly TaskHubWorker _worker;
    private readonly TaskHubClient _client;
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
        var activity = services.GetRequiredService<DeliveryAttemptActivity>();
        _worker.AddTaskActivities(new ServiceCreator<TaskActivity>(
            DeliveryAttemptActivity.Name, () => shims.CreateActivity(DeliveryAttemptActivity.Name, activity)));
        // The client serializes inputs as the shims read them (System.Text.Json), not with DurableTask.Core's default.
        _client = new TaskHubClient(_service, new ShimDataConverter(new DurableTaskWorkerOptions().DataConverter), loggerFactory);
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

    public async Task StartAsync(IReadOnlyList<DeliveryInput> deliveries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        await Task.WhenAll(deliveries.Select(StartOneAsync));
    }

    private async Task StartOneAsync(DeliveryInput delivery)
    {
        try
        {
            // The backend reads the instance's row before creating it whether or not statuses are given, so this
            // costs nothing extra and makes every start safe to repeat.
            await _client.CreateOrchestrationInstanceAsync(
                DeliverWebhookOrchestrator.Name, "", delivery.DeliveryId, delivery, tags: null, dedupeStatuses: NeverRestart);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            LogAlreadyStarted(_logger, delivery.DeliveryId);
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Durable Task engine did not stop in time; its unfinished work runs again at the next start")]
    private static partial void LogStopCutShort(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Delivery {DeliveryId}: its orchestration exists already, not started again")]
    private static partial void LogAlreadyStarted(ILogger logger, string deliveryId);
}
