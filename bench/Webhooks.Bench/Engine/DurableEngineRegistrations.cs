using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Shims;

namespace Webhooks.Bench.Engine;

/// <summary>
/// The orchestrators and activities a <see cref="DurableEngine"/> runs, written against Microsoft.DurableTask's
/// <see cref="TaskOrchestrator{TInput,TOutput}"/> / <see cref="Microsoft.DurableTask.TaskActivity{TInput,TOutput}"/> (the classes the
/// isolated worker runs in Azure) and run on DurableTask.Core through <see cref="DurableTaskShimFactory"/>.
/// </summary>
public sealed class DurableEngineRegistrations
{
    private readonly List<(TaskName Name, Func<ITaskOrchestrator> Create)> _orchestrators = [];
    private readonly List<(TaskName Name, Func<ITaskActivity> Create)> _activities = [];

    public DurableEngineRegistrations AddOrchestrator(TaskName name, Func<ITaskOrchestrator> create)
    {
        _orchestrators.Add((name, create));
        return this;
    }

    public DurableEngineRegistrations AddActivity(TaskName name, Func<ITaskActivity> create)
    {
        _activities.Add((name, create));
        return this;
    }

    internal void AddTo(TaskHubWorker worker, DurableTaskShimFactory shims)
    {
        worker.AddTaskOrchestrations([.. _orchestrators.Select(o => new ShimCreator<TaskOrchestration>(o.Name, () => shims.CreateOrchestration(o.Name, o.Create())))]);
        worker.AddTaskActivities([.. _activities.Select(a => new ShimCreator<TaskActivity>(a.Name, () => shims.CreateActivity(a.Name, a.Create())))]);
    }

    /// <summary>A new shim per execution, as DurableTask.Core asks: an orchestration shim holds that execution's context.</summary>
    private sealed class ShimCreator<T> : ObjectCreator<T>
    {
        private readonly Func<T> _create;

        public ShimCreator(TaskName name, Func<T> create)
        {
            Name = name.Name;
            // Orchestrations and activities are looked up by name alone, as the isolated worker does.
            Version = string.Empty;
            _create = create;
        }

        public override T Create() => _create();
    }
}
