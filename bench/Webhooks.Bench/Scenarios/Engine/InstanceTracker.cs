using System.Collections.Concurrent;
using DurableTask.Core;
using Webhooks.Bench.Infrastructure;

namespace Webhooks.Bench.Scenarios.Engine;

/// <summary>
/// When each instance was started, when its first activity ran and when it was done: completed (or, for the
/// <see cref="CeilingWorkload.Wait"/> workload, checkpointed with its timer), as the worker's checkpoints say.
/// </summary>
internal sealed class InstanceTracker(string workload)
{
    private readonly ConcurrentDictionary<string, Instance> _instances = new(StringComparer.Ordinal);
    private long _failed;

    public long Failed => Interlocked.Read(ref _failed);

    public Instance Register(string instanceId)
    {
        var instance = new Instance(Clock.Now);
        _instances[instanceId] = instance;
        return instance;
    }

    public void Forget(string instanceId) => _instances.TryRemove(instanceId, out _);

    public void ActivityRan(string instanceId)
    {
        if (_instances.TryGetValue(instanceId, out var instance))
        {
            Interlocked.CompareExchange(ref instance.ActivityAt, Clock.Now, 0);
        }
    }

    public void Checkpointed(string instanceId, OrchestrationStatus status, int timers)
    {
        if (!_instances.TryGetValue(instanceId, out var instance))
        {
            return;
        }
        var done = workload == CeilingWorkload.Wait ? timers > 0 : status is OrchestrationStatus.Completed;
        if (status is OrchestrationStatus.Failed or OrchestrationStatus.Terminated)
        {
            Interlocked.Increment(ref _failed);
            done = true;
        }
        if (done && Interlocked.CompareExchange(ref instance.DoneAt, Clock.Now, 0) == 0)
        {
            instance.Done.TrySetResult();
        }
    }

    internal sealed class Instance(long startedAt)
    {
        public long StartedAt { get; } = startedAt;
        public long ActivityAt;
        public long DoneAt;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
