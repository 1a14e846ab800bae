using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Logging.Abstractions;

namespace Webhooks.Bench.Engine;

/// <summary>
/// The Durable Task Framework in-process: one <see cref="AzureStorageOrchestrationService"/> serving both a
/// <see cref="TaskHubWorker"/> and a <see cref="TaskHubClient"/>. Sharing the service matters: a message this
/// process sends to a control queue it owns wakes that queue's poller at once instead of at its next poll.
/// </summary>
public sealed class DurableEngine : IAsyncDisposable
{
    /// <summary>Inputs are written as the shims (and the isolated worker) read them: System.Text.Json.</summary>
    private static readonly DataConverter Converter = JsonDataConverter.Default;

    private readonly TaskHubWorker _worker;
    private readonly bool _startDeduplicationDisabled;
    private bool _stopped;

    private DurableEngine(AzureStorageOrchestrationService service, TaskHubWorker worker, TaskHubClient client, bool startDeduplicationDisabled)
    {
        Service = service;
        _worker = worker;
        Client = client;
        _startDeduplicationDisabled = startDeduplicationDisabled;
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
        var client = new TaskHubClient(service, new CoreDataConverter(Converter), loggerFactory);
        return new DurableEngine(service, worker, client, settings.DisableExecutionStartedDeduplication);
    }

    /// <summary>
    /// Starts an orchestration with one storage operation: its ExecutionStarted message, sent to its control queue.
    /// <see cref="TaskHubClient.CreateOrchestrationInstanceAsync(string, string, string, object)"/> costs three (an
    /// Instances read, the send, an Instances insert); this start writes no Instances row (the first checkpoint does,
    /// as Running), so a status query finds nothing until then.
    /// <para>
    /// Sending it again is harmless: with the same <paramref name="executionId"/> the engine drops the repeat, whether
    /// the instance is running or done. A different execution id restarts the instance, done or not, so derive it
    /// from what identifies the work (e.g. the delivery id). Needs
    /// <see cref="AzureStorageOrchestrationServiceSettings.DisableExecutionStartedDeduplication"/>: otherwise the worker looks for the
    /// Instances row a client start writes, defers the message while it finds none and drops it after ten tries.
    /// </para>
    /// </summary>
    public async Task StartOrchestrationAsync(TaskName name, string instanceId, string executionId, object? input)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        if (!_startDeduplicationDisabled)
        {
            throw new InvalidOperationException("A start message needs DisableExecutionStartedDeduplication; use Client.CreateOrchestrationInstanceAsync.");
        }
        var instance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = executionId };
        await Service.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = instance,
            Event = new ExecutionStartedEvent(-1, Converter.Serialize(input))
            {
                Name = name.Name,
                Version = string.Empty,
                OrchestrationInstance = instance,
            },
        });
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
