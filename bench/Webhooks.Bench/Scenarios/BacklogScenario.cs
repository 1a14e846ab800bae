using System.Globalization;
using System.Text.Json.Nodes;
using Webhooks.Bench.Infrastructure;
using Webhooks.Bench.Receiver;
using Webhooks.Bench.Worker;
using Webhooks.Functions.Delivery;

namespace Webhooks.Bench.Scenarios;

/// <summary>
/// N deliveries waiting on durable timers: every receiver answers 500 to a first attempt, and the policy's next delay
/// is an hour, so each orchestration records its failed first attempt and waits on a durable timer (an invisible
/// message in its control queue). Then, once the engine's extended sessions have idled out, the app's RSS, its CPU
/// and the storage operations per second while it waits and does nothing else. Building stops at N or at its time
/// cap, whichever comes first; the figures say how many wait.
/// <para>
/// The app runs in this worker process, which also raised the events: the driver is idle during the sample (no
/// raises, no records kept), so its CPU is the app's; its memory is in the RSS, which is why the managed heap after
/// a full collection is reported beside it.
/// </para>
/// </summary>
internal static class BacklogScenario
{
    public const string Name = "backlog";

    /// <summary>Long enough that no retry comes due during the run.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromHours(1);

    public static async Task<JsonObject> RunAsync(WorkerInput input, CancellationToken cancellationToken)
    {
        using var receiver = new ReceiverClient(input.Receiver);
        await receiver.SetModeAsync(ReceiverMode.FailFirst);
        await receiver.ResetAsync();
        await using var app = await AppUnderTest.StartAsync(input.AzuriteConnection, new Dictionary<string, string>
        {
            ["Delivery:AttemptTimeout"] = "00:00:02",
            ["Delivery:Policies:standard"] = string.Create(CultureInfo.InvariantCulture, $"0s,{RetryDelay.TotalSeconds}s"),
        });

        WorkerHost.Progress($"backlog: building {input.Backlog} deliveries that wait {RetryDelay.TotalMinutes} min on a durable timer " +
            $"(at most {input.BacklogBuildCapSeconds:0} s)");
        var buildCpu = CpuWindow.Start(WorkerHost.Processes(input));
        var started = Clock.Now;
        long published, failed;
        bool allRecorded;
        {
            var driver = new EventDriver(app, input.Receiver.HookUrls);
            using (var cap = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                cap.CancelAfter(TimeSpan.FromSeconds(input.BacklogBuildCapSeconds));
                var raising = driver.RaiseKeepingInFlightAsync(input.Concurrency, input.Backlog, cap.Token);
                var lastReport = Clock.Now;
                while (!raising.IsCompleted)
                {
                    await Task.WhenAny(raising, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None));
                    if (Clock.SecondsSince(lastReport) >= 15)
                    {
                        lastReport = Clock.Now;
                        WorkerHost.Progress($"  ... {driver.AttemptsRecorded} first attempts recorded");
                    }
                }
                await raising;
            }
            allRecorded = await ThroughputScenario.WaitForAsync(() => driver.AttemptsRecorded + driver.Failed >= driver.Published,
                TimeSpan.FromSeconds(60), CancellationToken.None);
            published = driver.Published;
            failed = driver.Failed;
        }
        var buildSeconds = Clock.SecondsSince(started);
        var buildUsage = buildCpu.Stop();
        WorkerHost.Progress(string.Create(CultureInfo.InvariantCulture, $"backlog: {published} raised in {buildSeconds:0.0} s; waiting for the engine to settle"));

        // An extended session keeps an orchestration's history, and its work-item slot, until it has been idle this
        // long: the waiting app is the one whose sessions have ended. Then until tiered JIT has been quiet for three
        // seconds in a row (it recompiles what the build made hot for a while after; at most 30 s more).
        var settleStarted = Clock.Now;
        await Task.Delay(app.Durable.ExtendedSessionIdleTimeout + TimeSpan.FromSeconds(3), cancellationToken);
        var quietSeconds = 0;
        while (quietSeconds < 3 && Clock.SecondsSince(settleStarted) < app.Durable.ExtendedSessionIdleTimeout.TotalSeconds + 33)
        {
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            quietSeconds = System.Runtime.JitInfo.GetCompiledMethodCount() - compiled <= 1 ? quietSeconds + 1 : 0;
        }
        var settleSeconds = Clock.SecondsSince(settleStarted);

        WorkerHost.Progress($"backlog: sampling the waiting app for {input.BacklogIdleSampleSeconds} s");
        var opsBefore = app.Counter.Snapshot();
        var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
        var idleCpu = CpuWindow.Start(WorkerHost.Processes(input));
        var sampleStarted = Clock.Now;
        JsonObject idleUsage;
        long idleRssMax, idleRssLast;
        var perSecond = new JsonArray();
        await using (var rss = new RssSampler())
        {
            // Second by second, so a one-off (a GC, a timer of the sweeper) shows apart from the steady cost.
            for (var second = 0; second < input.BacklogIdleSampleSeconds; second++)
            {
                var before = ProcessMeter.CpuTime(Environment.ProcessId) ?? TimeSpan.Zero;
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                perSecond.Add(Math.Round(((ProcessMeter.CpuTime(Environment.ProcessId) ?? TimeSpan.Zero) - before).TotalMilliseconds));
            }
            idleUsage = idleCpu.Stop();
            idleRssMax = rss.MaxBytes;
            idleRssLast = rss.LastBytes;
        }
        var sampleSeconds = Clock.SecondsSince(sampleStarted);
        var idleOps = StorageOpCounter.Between(opsBefore, app.Counter.Snapshot());
        var jitMs = (System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds;
        var (rssAnonymous, rssFile) = ProcessMeter.OwnRssSplit();
        var managedHeap = GC.GetTotalMemory(forceFullCollection: false);

        // Diagnostic only, after the sample: how much of the resident set is live data and how much is memory the GC
        // keeps for later.
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var liveHeap = GC.GetTotalMemory(forceFullCollection: false);
        var rssAfterCollect = ProcessMeter.OwnRss;

        WorkerHost.Progress("backlog: counting the deliveries that wait");
        var waiting = await app.CountDeliveriesAsync(DeliveryStatus.Pending, attemptsMade: 1);
        var stats = await receiver.StatsAsync();
        return new JsonObject
        {
            ["requested"] = input.Backlog,
            ["raised"] = published,
            ["raises_failed"] = failed,
            ["all_first_attempts_recorded"] = allRecorded,
            ["waiting"] = waiting,
            ["retry_delay_s"] = RetryDelay.TotalSeconds,
            ["build_cap_s"] = Math.Round(input.BacklogBuildCapSeconds),
            ["build_seconds"] = Math.Round(buildSeconds, 1),
            ["build_per_s"] = Math.Round(published / buildSeconds, 1),
            ["build_cpu"] = buildUsage,
            ["receiver_first_attempts_failed"] = stats.Failed,
            ["receiver_ok_meanwhile"] = stats.Ok,
            ["settled_seconds_before_sample"] = Math.Round(settleSeconds, 1),
            ["app_rss_mb"] = ProcessMeter.Megabytes(idleRssLast),
            ["app_rss_max_mb"] = ProcessMeter.Megabytes(idleRssMax),
            ["app_rss_anonymous_mb"] = ProcessMeter.Megabytes(rssAnonymous),
            ["app_rss_file_mb"] = ProcessMeter.Megabytes(rssFile),
            ["app_managed_heap_mb"] = ProcessMeter.Megabytes(managedHeap),
            ["app_managed_heap_after_full_gc_mb"] = ProcessMeter.Megabytes(liveHeap),
            ["app_rss_after_full_gc_mb"] = ProcessMeter.Megabytes(rssAfterCollect),
            ["server_gc"] = System.Runtime.GCSettings.IsServerGC,
            ["cpu"] = idleUsage,
            ["app_cpu_ms_each_second"] = perSecond,
            ["app_jit_ms_during_sample"] = Math.Round(jitMs),
            ["storage_ops_per_s"] = OpsReport.PerSecond(idleOps, sampleSeconds),
        };
    }
}
