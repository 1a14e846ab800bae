using System.Globalization;
using System.Text.Json.Nodes;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Webhooks.Bench.Engine;
using Webhooks.Bench.Infrastructure;
using Webhooks.Bench.Worker;

namespace Webhooks.Bench.Scenarios.Engine;

/// <summary>
/// One configuration of the engine-ceiling scenario on a task hub of its own: a warm-up, a closed loop of N
/// instances in flight for a fixed time (instances/s, start → complete, storage operations per instance by kind),
/// one instance alone with every storage request traced, then optionally an open loop at half the rate (latency)
/// and an idle sample (what an idle worker polls).
/// </summary>
internal sealed class EngineRun
{
    /// <summary>Every status a delivery can be in once started: a product that must never restart a delivery passes them all.</summary>
    private static readonly OrchestrationStatus[] AllStatuses =
    [
        OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.Completed, OrchestrationStatus.Failed,
        OrchestrationStatus.Terminated, OrchestrationStatus.Canceled, OrchestrationStatus.ContinuedAsNew, OrchestrationStatus.Suspended,
    ];

    private readonly EngineConfig _config;
    private readonly WorkerInput _input;
    private readonly InstanceTracker _tracker;
    private readonly EngineOpCounter _counter;
    private readonly string _hub;
    private DurableEngine? _engine;
    private long _next;

    private EngineRun(EngineConfig config, WorkerInput input, string hub)
    {
        _config = config;
        _input = input;
        _hub = hub;
        _tracker = new InstanceTracker(config.Workload);
        var ports = PortsOf(input.AzuriteConnection);
        _counter = new EngineOpCounter(hub, ports.Table, ports.Queue);
    }

    public static async Task<JsonObject> RunAsync(EngineConfig config, WorkerInput input, CancellationToken cancellationToken)
    {
        var hub = "eng" + Webhooks.Functions.Ids.RandomString(8);
        var run = new EngineRun(config, input, hub);
        try
        {
            return await run.RunAsync(cancellationToken);
        }
        finally
        {
            if (run._engine is { } engine)
            {
                await engine.DisposeAsync();
            }
        }
    }

    private async Task<JsonObject> RunAsync(CancellationToken cancellationToken)
    {
        var options = _config.Options();
        var settings = EngineSettings.Build(_input.AzuriteConnection, _hub, options, _counter, startDeduplicationRead: _config.StartDeduplicationRead);
        _config.Tune?.Invoke(settings);
        var registrations = new DurableEngineRegistrations()
            .AddOrchestrator(CeilingOrchestrator.Name, () => new CeilingOrchestrator())
            .AddActivity(NoopActivity.Name, () => new NoopActivity(_tracker.ActivityRan));
        var startedAt = Clock.Now;
        _engine = await DurableEngine.StartAsync(settings, registrations,
            decorate: service => new CheckpointObserver(service, _tracker.Checkpointed));
        var startSeconds = Clock.SecondsSince(startedAt);
        var setupOps = Sum(_counter.Snapshot());

        WorkerHost.Progress($"engine {_config.Name}: warm-up, {_input.EngineWarmup} instances");
        await ClosedLoopAsync(_input.Concurrency, count: _input.EngineWarmup, seconds: null, cancellationToken);
        await Task.Delay(500, cancellationToken);

        var heapBefore = ManagedHeap();
        _counter.Reset();
        WorkerHost.Progress($"engine {_config.Name}: {_input.Concurrency} in flight for {_input.EngineSeconds} s");
        var cpu = CpuWindow.Start(WorkerHost.Processes(_input));
        var windowStart = Clock.Now;
        var samples = await ClosedLoopAsync(_input.Concurrency, count: null, seconds: _input.EngineSeconds, cancellationToken);
        var lastDone = samples.Count == 0 ? Clock.Now : samples.Max(s => s.DoneAt);
        // The activity's work-item delete can still be in flight when its orchestration's last checkpoint lands.
        await Task.Delay(300, cancellationToken);
        var ops = _counter.Snapshot();
        var usage = cpu.Stop();
        var heapAfter = ManagedHeap();
        var seconds = Clock.Seconds(windowStart, lastDone);
        var completed = samples.Count(s => s.DoneAt != 0);

        var result = new JsonObject
        {
            ["what"] = _config.What,
            ["task_hub"] = _hub,
            ["settings"] = Describe(settings),
            ["workload"] = _config.Workload,
            ["start"] = _config.StartWithMessage ? "ExecutionStarted message sent to the control queue" :
                "TaskHubClient.CreateOrchestrationInstanceAsync" + (_config.DedupeStatuses ? " with dedupeStatuses (every status)" : ""),
            ["engine_start_s"] = Math.Round(startSeconds, 2),
            ["engine_setup_storage_ops"] = setupOps,
            ["in_flight"] = _input.Concurrency,
            ["instances"] = completed,
            ["failed"] = _tracker.Failed,
            ["seconds"] = Math.Round(seconds, 2),
            ["instances_per_s"] = Math.Round(completed / seconds, 1),
            ["start_to_activity_ms"] = Percentiles.Summary(samples.Where(s => s.ActivityAt != 0).Select(s => Clock.Milliseconds(s.StartedAt, s.ActivityAt)), "ms"),
            ["start_to_done_ms"] = Percentiles.Summary(samples.Where(s => s.DoneAt != 0).Select(s => Clock.Milliseconds(s.StartedAt, s.DoneAt)), "ms"),
            ["storage_ops_per_instance"] = PerInstance(ops, completed),
            ["cpu"] = usage,
            ["app_cpu_ms_per_instance"] = Math.Round(usage["app_cpu_s"]!.GetValue<double>() * 1000 / Math.Max(1, completed), 2),
            ["azurite_cpu_ms_per_instance"] = Math.Round(usage["azurite_cpu_s"]!.GetValue<double>() * 1000 / Math.Max(1, completed), 2),
            // CPU per instance, app and Azurite together: on a shared machine it moves less than the rate does. The rate
            // it implies if both had the 2 cores to themselves is an upper bound, not a measurement.
            ["cpu_ms_per_instance"] = Math.Round((usage["app_cpu_s"]!.GetValue<double>() + usage["azurite_cpu_s"]!.GetValue<double>()) * 1000 / Math.Max(1, completed), 2),
            ["managed_heap_growth_bytes_per_instance"] = Math.Round((heapAfter - heapBefore) / (double)Math.Max(1, completed)),
        };

        WorkerHost.Progress($"engine {_config.Name}: {result["instances_per_s"]} instances/s, {result["storage_ops_per_instance"]!["total"]} ops each; tracing one instance alone");
        await Task.Delay(1000, cancellationToken);
        result["one_instance_alone"] = await TraceOneAsync(cancellationToken);

        if (_config.LatencySeconds > 0 && completed > 0)
        {
            var rate = completed / seconds / 2;
            WorkerHost.Progress($"engine {_config.Name}: open loop at {rate:0.0}/s for {_config.LatencySeconds} s");
            result["half_rate_latency"] = await OpenLoopAsync(rate, _config.LatencySeconds, cancellationToken);
        }
        if (_config.IdleSeconds > 0)
        {
            WorkerHost.Progress($"engine {_config.Name}: idle for {_config.IdleSeconds} s");
            result["idle"] = await IdleAsync(_config.IdleSeconds, cancellationToken);
            result["managed_heap_growth_bytes_per_instance_after_idle"] = Math.Round((ManagedHeap() - heapBefore) / (double)Math.Max(1, completed));
        }
        var stopping = Clock.Now;
        await _engine.StopAsync();
        result["graceful_stop_s"] = Math.Round(Clock.SecondsSince(stopping), 2);
        return result;
    }

    /// <summary>N loops, each starting an instance and waiting until it is done, for a number of instances or a time.</summary>
    private async Task<List<InstanceTracker.Instance>> ClosedLoopAsync(int concurrency, int? count, double? seconds, CancellationToken cancellationToken)
    {
        var samples = new List<InstanceTracker.Instance>();
        var remaining = count ?? int.MaxValue;
        var stopAt = seconds is { } s ? Clock.Now + (long)(s * System.Diagnostics.Stopwatch.Frequency) : long.MaxValue;
        var loops = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Clock.Now < stopAt && Interlocked.Decrement(ref remaining) >= 0)
            {
                var instance = await StartAsync(cancellationToken);
                await instance.Done.Task.WaitAsync(TimeSpan.FromSeconds(120), cancellationToken);
                lock (samples)
                {
                    samples.Add(instance);
                }
            }
        });
        await Task.WhenAll(loops);
        return samples;
    }

    private async Task<InstanceTracker.Instance> StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var id = _hub + "-" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        var instance = _tracker.Register(id);
        if (_config.StartWithMessage)
        {
            // The instance id stands for what identifies the work (a delivery id), so the execution id can be derived from it.
            await _engine!.StartOrchestrationAsync(CeilingOrchestrator.Name, id, executionId: id, _config.Workload);
        }
        else
        {
            await _engine!.Client.CreateOrchestrationInstanceAsync(
                CeilingOrchestrator.Name, string.Empty, id, _config.Workload, tags: null, _config.DedupeStatuses ? AllStatuses : null);
        }
        return instance;
    }

    /// <summary>One instance on an otherwise idle engine, every storage request listed in order.</summary>
    private async Task<JsonObject> TraceOneAsync(CancellationToken cancellationToken)
    {
        _counter.StartTrace();
        var instance = await StartAsync(cancellationToken);
        await instance.Done.Task.WaitAsync(TimeSpan.FromSeconds(120), cancellationToken);
        var doneMs = Clock.Milliseconds(instance.StartedAt, instance.DoneAt);
        await Task.Delay(1000, cancellationToken);
        var trace = _counter.StopTrace();
        var own = trace.Where(e => !IsBackground(e.Kind)).ToList();
        return new JsonObject
        {
            ["start_to_activity_ms"] = Math.Round(Clock.Milliseconds(instance.StartedAt, instance.ActivityAt), 1),
            ["start_to_done_ms"] = Math.Round(doneMs, 1),
            ["storage_ops"] = own.Count,
            ["background_ops_meanwhile"] = trace.Count - own.Count,
            ["requests"] = new JsonArray([.. trace.Select(e => (JsonNode)JsonValue.Create(e.ToString() + (IsBackground(e.Kind) ? "  [background]" : "")))]),
        };
    }

    /// <summary>Polls that found nothing and partition management: the engine's own traffic, not an instance's.</summary>
    private static bool IsBackground(string kind) =>
        kind.EndsWith("receive (empty)", StringComparison.Ordinal) || kind.StartsWith("table Partitions", StringComparison.Ordinal)
        || kind.StartsWith("blob", StringComparison.Ordinal);

    /// <summary>Starts at a fixed rate, whatever the engine does; latency from the start call to the activity and to done.</summary>
    private async Task<JsonObject> OpenLoopAsync(double rate, double seconds, CancellationToken cancellationToken)
    {
        var total = (int)(rate * seconds);
        var begin = Clock.Now;
        var started = new List<Task<InstanceTracker.Instance>>(total);
        for (var i = 0; i < total; i++)
        {
            var due = begin + (long)(i / rate * System.Diagnostics.Stopwatch.Frequency);
            var wait = Clock.Milliseconds(Clock.Now, due);
            if (wait > 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait), cancellationToken);
            }
            started.Add(StartAsync(cancellationToken));
        }
        var achieved = total / Clock.SecondsSince(begin);
        var instances = await Task.WhenAll(started);
        await Task.WhenAll(instances.Select(i => i.Done.Task.WaitAsync(TimeSpan.FromSeconds(120), cancellationToken)));
        return new JsonObject
        {
            ["target_rate_per_s"] = Math.Round(rate, 1),
            ["achieved_rate_per_s"] = Math.Round(achieved, 1),
            ["instances"] = total,
            ["start_to_activity_ms"] = Percentiles.Summary(instances.Select(s => Clock.Milliseconds(s.StartedAt, s.ActivityAt)), "ms"),
            ["start_to_done_ms"] = Percentiles.Summary(instances.Select(s => Clock.Milliseconds(s.StartedAt, s.DoneAt)), "ms"),
        };
    }

    /// <summary>
    /// Storage requests of an idle worker: per 10 s as the pollers back off, and per minute by kind over the last
    /// half of the sample; the managed heap at the end (extended sessions have idled out by then).
    /// </summary>
    private async Task<JsonObject> IdleAsync(double seconds, CancellationToken cancellationToken)
    {
        _counter.Reset();
        var buckets = new JsonArray();
        var started = Clock.Now;
        long previous = 0;
        SortedDictionary<string, (long Count, long Items)> atHalf = [];
        for (var bucket = 1; bucket * 10 <= seconds; bucket++)
        {
            var due = started + (long)(bucket * 10 * System.Diagnostics.Stopwatch.Frequency);
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, Clock.Milliseconds(Clock.Now, due))), cancellationToken);
            var snapshot = _counter.Snapshot();
            var total = Sum(snapshot);
            buckets.Add(total - previous);
            previous = total;
            if (bucket == (int)(seconds / 20))
            {
                atHalf = snapshot;
            }
        }
        var end = _counter.Snapshot();
        var halfSeconds = seconds - (Math.Floor(seconds / 20) * 10);
        var byKind = new JsonObject();
        foreach (var (kind, (count, _)) in end)
        {
            var before = atHalf.TryGetValue(kind, out var h) ? h.Count : 0;
            byKind[kind] = Math.Round((count - before) * 60 / halfSeconds, 1);
        }
        return new JsonObject
        {
            ["seconds"] = seconds,
            ["storage_ops_each_10_s"] = buckets,
            ["storage_ops_per_minute_second_half"] = Math.Round((Sum(end) - Sum(atHalf)) * 60 / halfSeconds, 1),
            ["by_kind_per_minute_second_half"] = byKind,
            ["managed_heap_mb"] = ProcessMeter.Megabytes(ManagedHeap()),
            ["rss_mb"] = ProcessMeter.Megabytes(ProcessMeter.OwnRss),
        };
    }

    private static JsonObject PerInstance(SortedDictionary<string, (long Count, long Items)> ops, long instances)
    {
        double Per(long value) => Math.Round(value / (double)Math.Max(1, instances), 3);
        var byKind = new JsonObject();
        long background = 0;
        foreach (var (kind, (count, _)) in ops)
        {
            byKind[kind] = Per(count);
            if (IsBackground(kind))
            {
                background += count;
            }
        }
        var (batches, rows) = ops.TryGetValue("table History batch", out var b) ? b : (0, 0);
        var (receives, received) = ops.TryGetValue("queue control receive", out var r) ? r : (0, 0);
        return new JsonObject
        {
            ["total"] = Per(Sum(ops)),
            ["without_background"] = Per(Sum(ops) - background),
            ["background"] = Per(background),
            ["history_rows_per_batch"] = batches == 0 ? null : Math.Round(rows / (double)batches, 2),
            ["messages_per_control_receive"] = receives == 0 ? null : Math.Round(received / (double)receives, 2),
            ["by_kind"] = byKind,
        };
    }

    private static long Sum(SortedDictionary<string, (long Count, long Items)> ops) => ops.Values.Sum(v => v.Count);

    private static JsonObject Describe(AzureStorageOrchestrationServiceSettings settings) => new()
    {
        ["PartitionCount"] = settings.PartitionCount,
        ["MaxQueuePollingInterval_s"] = settings.MaxQueuePollingInterval.TotalSeconds,
        ["ExtendedSessionsEnabled"] = settings.ExtendedSessionsEnabled,
        ["MaxConcurrentTaskOrchestrationWorkItems"] = settings.MaxConcurrentTaskOrchestrationWorkItems,
        ["MaxConcurrentTaskActivityWorkItems"] = settings.MaxConcurrentTaskActivityWorkItems,
        ["ControlQueueBatchSize"] = settings.ControlQueueBatchSize,
        ["ControlQueueBufferThreshold"] = settings.ControlQueueBufferThreshold,
        ["MaxStorageOperationConcurrency"] = settings.MaxStorageOperationConcurrency,
        ["DisableExecutionStartedDeduplication"] = settings.DisableExecutionStartedDeduplication,
        ["UseTablePartitionManagement"] = settings.UseTablePartitionManagement,
        ["UseLegacyPartitionManagement"] = settings.UseLegacyPartitionManagement,
        ["UseAppLease"] = settings.UseAppLease,
        ["FetchLargeMessageDataEnabled"] = settings.FetchLargeMessageDataEnabled,
        ["UseSeparateQueueForEntityWorkItems"] = settings.UseSeparateQueueForEntityWorkItems,
        ["AllowReplayingTerminalInstances"] = settings.AllowReplayingTerminalInstances,
        ["UseInstanceTableEtag"] = settings.UseInstanceTableEtag,
        ["ExtendedSessionIdleTimeout_s"] = settings.ExtendedSessionIdleTimeout.TotalSeconds,
        ["MessageVisibilityTimeout_s"] = settings.ControlQueueVisibilityTimeout.TotalSeconds,
    };

    private static long ManagedHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static (int Table, int Queue) PortsOf(string connectionString)
    {
        int Port(string key)
        {
            var part = connectionString.Split(';').First(p => p.StartsWith(key + "=", StringComparison.Ordinal));
            return new Uri(part[(key.Length + 1)..]).Port;
        }
        return (Port("TableEndpoint"), Port("QueueEndpoint"));
    }
}
