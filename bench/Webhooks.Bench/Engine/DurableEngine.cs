using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Webhooks.Bench.Engine;

/// <summary>
/// The Durable Task Framework in-process: one <see cref="AzureStorageOrchestrationService"/> serving both a
/// <see cref="TaskHubWorker"/> and a <see cref="TaskHubClient"/>. Sharing the service matters: a message this
/// process sends to a control queue it owns wakes that queue's poller at once instead of at its next poll.
/// </summary>
public sealed class DurableEngine : IAsyncDisposable
{
    private readonly TaskHubWorker _worker;
    private bool _stopped;

    private DurableEngine(AzureStorageOrchestrationService service, TaskHubWorker worker, TaskHubClient client)
    {
        Service = service;
        _worker = worker;
        Client = client;
    }

    public AzureStorageOrchestrationService Service { get; }

    public TaskHubClient Client { get; }

    /// <summary>Creates the task hub if it does not exist and starts the worker (it takes its partitions in the background).</summary>
    /// <param name="decorate">Wraps the service the worker sees (observation, tests); the client always uses the service itself.</param>
    public static async Task<DurableEngine> StartAsync(
        AzureStorageOrchestrationServiceSettings settings, DurableEngineRegistrations registrations,
        ILoggerFactory? loggerFactory = null, Func<IOrchestrationService, IOrchestrationService>? decorate = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(registrations);
        loggerFactory ??= NullLoggerFactory.Instance;
        var service = new AzureStorageOrchestrationService(settings);
        var worker = new TaskHubWorker(decorate?.Invoke(service) ?? service, loggerFactory)
        {
            // The shims turn an activity's failure into Microsoft.DurableTask's TaskFailedException from the failure
            // details; with the default (serialized exceptions) there are none to read.
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };
        registrations.AddTo(worker, new DurableTaskShimFactory(new DurableTaskWorkerOptions(), loggerFactory));
        await worker.StartAsync();
        return new DurableEngine(service, worker, new TaskHubClient(service, loggerFactory: loggerFactory));
    }

    /// <summary>
    /// Stops the worker. Graceful: the partitions are released for another process to take at once; forced: they are
    /// kept until their leases expire (what a crash looks like to the other processes).
    /// </summary>
    public async Task StopAsync(bool graceful = true)
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        await _worker.StopAsync(isForced: !graceful);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _worker.Dispose();
        Service.Dispose();
    }
}
