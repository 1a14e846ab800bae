using System.Globalization;
using System.Text.Json;
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
/// The app runs alone in its own process (<see cref="AppHostProcess"/>), which does every delivery. This worker is the
/// driver: it completes the jobs and starts their orchestrations through the same code composed beside it
/// (<see cref="AppUnderTest.ComposeBeside"/>, never started, so it delivers nothing), and reads the app's CPU and
/// resident set from outside. The app's figures are its own.
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
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Delivery:AttemptTimeout"] = "00:00:02",
            ["Delivery:Policies:standard"] = string.Create(CultureInfo.InvariantCulture, $"0s,{RetryDelay.TotalSeconds}s"),
        };
        await using var app = await AppProcess.StartAsync(input.AzuriteConnection, settings);
        await using var completer = AppUnderTest.ComposeBeside(app.Ready, input.AzuriteConnection, settings);
        var processes = new Dictionary<string, int[]>(StringComparer.Ordinal)
        {
            ["app"] = [app.Pid],
            ["driver"] = [Environment.ProcessId],
            ["azurite"] = input.AzuritePids,
            ["receiver"] = [input.ReceiverPid],
        };

        WorkerHost.Progress($"backlog: building {input.Backlog} deliveries that wait {RetryDelay.TotalMinutes} min on a durable timer " +
            $"(at most {input.BacklogBuildCapSeconds:0} s)");
        var buildCpu = CpuWindow.Start(processes);
        var started = Clock.Now;
        var progress = new JsonArray();
        long published, failed;
        bool allRecorded;
        {
            // The app's own count of its jobs-table transactions: each is a first attempt recorded (the driver's
            // completions are its own process's). Asked for every 100 ms while building, never while sampling.
            var transactionsAtStart = (await app.StorageOpsAsync()).GetValueOrDefault(EventDriver.JobsBatch);
            long recorded = 0;
            using var following = new CancellationTokenSource();
            var follow = Task.Run(async () =>
            {
                while (!following.IsCancellationRequested)
                {
                    var now = (await app.StorageOpsAsync()).GetValueOrDefault(EventDriver.JobsBatch) - transactionsAtStart;
                    Interlocked.Exchange(ref recorded, now);
                    await Task.Delay(100, CancellationToken.None);
                }
            }, CancellationToken.None);
            var driver = new EventDriver(completer, input.Receiver.HookUrls, attemptsRecordedElsewhere: () => Interlocked.Read(ref recorded));
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
                        // How the build rate falls as deliveries wait: [seconds since the start, first attempts recorded].
                        progress.Add(new JsonArray(Math.Round(Clock.SecondsSince(started)), driver.AttemptsRecorded));
                        WorkerHost.Progress($"  ... {driver.AttemptsRecorded} first attempts recorded");
                    }
                }
                await raising;
            }
            allRecorded = await ThroughputScenario.WaitForAsync(() => driver.AttemptsRecorded + driver.Failed >= driver.Published,
                TimeSpan.FromSeconds(60), CancellationToken.None);
            await following.CancelAsync();
            await follow;
            published = driver.Published;
            failed = driver.Failed;
        }
        var buildSeconds = Clock.SecondsSince(started);
        var buildUsage = buildCpu.Stop();
        WorkerHost.Progress(string.Create(CultureInfo.InvariantCulture, $"backlog: {published} raised in {buildSeconds:0.0} s; waiting for the engine to settle"));

        // An extended session keeps an orchestration's history, and its work-item slot, until it has been idle this
        // long: the waiting app is the one whose sessions have ended. Then until the app's tiered JIT has been quiet
        // (it recompiles what the build made hot for a while after; at most 30 s more).
        var settleStarted = Clock.Now;
        await Task.Delay(completer.Durable.ExtendedSessionIdleTimeout + TimeSpan.FromSeconds(3), cancellationToken);
        await app.AskAsync("settle 30");
        var settleSeconds = Clock.SecondsSince(settleStarted);

        WorkerHost.Progress($"backlog: sampling the waiting app for {input.BacklogIdleSampleSeconds} s");
        var before = await app.AskAsync("status");
        var idleCpu = CpuWindow.Start(processes);
        var sampleStarted = Clock.Now;
        JsonObject idleUsage;
        long idleRssMax, idleRssLast;
        var perSecond = new JsonArray();
        await using (var rss = new RssSampler(app.Pid))
        {
            // Second by second, so a one-off (a GC, a timer of the sweeper) shows apart from the steady cost.
            for (var second = 0; second < input.BacklogIdleSampleSeconds; second++)
            {
                var cpuBefore = ProcessMeter.CpuTime(app.Pid) ?? TimeSpan.Zero;
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                perSecond.Add(Math.Round(((ProcessMeter.CpuTime(app.Pid) ?? TimeSpan.Zero) - cpuBefore).TotalMilliseconds));
            }
            idleUsage = idleCpu.Stop();
            idleRssMax = rss.MaxBytes;
            idleRssLast = rss.LastBytes;
        }
        var sampleSeconds = Clock.SecondsSince(sampleStarted);
        var (rssAnonymous, rssFile) = ProcessMeter.RssSplit(app.Pid);
        var after = await app.AskAsync("status");
        var idleOps = StorageOpCounter.Between(
            before["ops"].Deserialize<SortedDictionary<string, long>>()!, after["ops"].Deserialize<SortedDictionary<string, long>>()!);
        var jitMs = after["jit_ms"]!.GetValue<double>() - before["jit_ms"]!.GetValue<double>();
        // Diagnostic only, after the sample: how much of the resident set is live data.
        var memory = await app.AskAsync("memory");

        WorkerHost.Progress("backlog: counting the deliveries that wait");
        var waiting = await completer.CountDeliveriesAsync(DeliveryStatus.Pending, attemptsMade: 1);
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
            ["build_progress"] = progress,
            ["build_cpu"] = buildUsage,
            ["receiver_first_attempts_failed"] = stats.Failed,
            ["receiver_ok_meanwhile"] = stats.Ok,
            ["settled_seconds_before_sample"] = Math.Round(settleSeconds, 1),
            ["app_in_own_process"] = true,
            ["app_rss_mb"] = ProcessMeter.Megabytes(idleRssLast),
            ["app_rss_max_mb"] = ProcessMeter.Megabytes(idleRssMax),
            ["app_rss_anonymous_mb"] = ProcessMeter.Megabytes(rssAnonymous),
            ["app_rss_file_mb"] = ProcessMeter.Megabytes(rssFile),
            ["app_managed_heap_mb"] = memory["managed_heap_mb"]?.DeepClone(),
            ["app_managed_heap_after_full_gc_mb"] = memory["managed_heap_after_full_gc_mb"]?.DeepClone(),
            ["app_rss_after_full_gc_mb"] = memory["rss_after_full_gc_mb"]?.DeepClone(),
            ["server_gc"] = memory["server_gc"]?.DeepClone(),
            ["cpu"] = idleUsage,
            ["app_cpu_ms_each_second"] = perSecond,
            ["app_jit_ms_during_sample"] = Math.Round(jitMs),
            ["storage_ops_per_s"] = OpsReport.PerSecond(idleOps, sampleSeconds),
        };
    }
}
