using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Webhooks.Bench.Infrastructure;
using Webhooks.Bench.Receiver;
using Webhooks.Bench.Worker;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Storage;

namespace Webhooks.Bench.Scenarios;

/// <summary>
/// Scenario 5: N deliveries waiting for their retry. Every receiver answers 500 to a first attempt and 200 to any
/// later one; the policy's second delay is long (set by the orchestrator to outlast the build and the idle sample).
/// Reports the time to build the backlog, the app's RSS and CPU while it waits (waiting deliveries are hidden queue
/// messages, so the app should be nearly idle), then the rate at which the retries drain when they come due, measured
/// over a window from the first that arrives.
/// </summary>
internal static class BacklogScenario
{
    public const string Name = "backlog";

    private static async Task DelayUnlessCancelledAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The budget ran out: the caller's loop ends and the figures so far are reported.
        }
    }

    public static async Task<JsonObject> RunAsync(WorkerInput input, CancellationToken cancellationToken)
    {
        using var receiver = new ReceiverClient(input.Receiver);
        await receiver.SetModeAsync(ReceiverMode.FailFirst);
        await receiver.ResetAsync();
        var delay = TimeSpan.FromSeconds(Math.Ceiling(input.BacklogRetryDelaySeconds));
        await using var app = await AppUnderTest.StartAsync(input.AzuriteConnection, new Dictionary<string, string>
        {
            ["Delivery:AttemptTimeout"] = "00:00:02",
            // A third attempt soon after the second catches a retry that came due while its endpoint still failed.
            ["Delivery:Policies:standard"] = string.Create(CultureInfo.InvariantCulture, $"0s,{delay.TotalSeconds}s,5s"),
        });
        var driver = new EventDriver(app, input.Receiver.HookUrls);
        var n = input.Backlog;

        WorkerHost.Progress($"backlog: building {n} deliveries waiting {delay.TotalSeconds} s for their retry");
        var buildCpu = CpuWindow.Start(WorkerHost.Processes(input));
        var started = Clock.Now;
        using (var cap = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            // The retries come due after the delay: building must stop in time for the idle sample, whatever it reached.
            cap.CancelAfter(TimeSpan.FromSeconds(input.BacklogBuildCapSeconds));
            await driver.RaiseClosedLoopAsync(n, input.Concurrency, cap.Token);
        }
        var built = await ThroughputScenario.WaitForOutcomesAsync(app, driver.ExpectedTransactions, TimeSpan.FromSeconds(60), CancellationToken.None);
        n = (int)driver.Published;
        await app.WaitForBackgroundIdleAsync(TimeSpan.FromSeconds(30));
        var buildSeconds = Clock.SecondsSince(started);
        var buildUsage = buildCpu.Stop();
        var buildOps = OpsReport.PerDelivery(app.Counter.Snapshot(), n);
        WorkerHost.Progress(string.Create(CultureInfo.InvariantCulture, $"backlog: built in {buildSeconds:0.0} s; sampling the waiting app"));

        // What the build leaves behind is not the cost of waiting: tiered JIT recompiles the methods the build made hot
        // for many seconds after. Settle until the JIT is quiet (at most 20 s), then sample.
        var settleStarted = Clock.Now;
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        while (Clock.SecondsSince(settleStarted) < 20)
        {
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            if (System.Runtime.JitInfo.GetCompiledMethodCount() - compiled <= 2)
            {
                break;
            }
        }
        var settleSeconds = Clock.SecondsSince(settleStarted);
        app.Counter.Reset();
        var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
        var idleCpu = CpuWindow.Start(WorkerHost.Processes(input));
        JsonObject idleUsage;
        long idleRssMax, idleRssLast;
        var perSecond = new JsonArray();
        await using (var rss = new RssSampler())
        {
            // Second by second, so a one-off (tiered JIT finishing after the build, a GC) shows apart from the steady cost.
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
        var jitMs = (System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds;
        var (rssAnonymous, rssFile) = ProcessMeter.OwnRssSplit();
        var idleOps = app.Counter.Snapshot();
        var queue = new QueueServiceClient(input.AzuriteConnection).GetQueueClient(app.Prefix + "webhooks-workitems");
        var messages = (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        var beforeFlip = await receiver.StatsAsync();
        var managedHeap = GC.GetTotalMemory(forceFullCollection: false);

        // Diagnostic only, after the idle sample: how much of the resident set is live data and how much is memory
        // the GC keeps for later. A compacting full collection, then the OS's view a moment later.
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var liveHeap = GC.GetTotalMemory(forceFullCollection: false);
        var rssAfterCollect = ProcessMeter.OwnRss;

        WorkerHost.Progress("backlog: receivers answer 200 now; waiting for the retries to come due");
        await receiver.SetModeAsync(ReceiverMode.Ok);
        ReceiverStats stats;
        while ((stats = await receiver.StatsAsync()).DistinctOk == 0 && !cancellationToken.IsCancellationRequested)
        {
            await DelayUnlessCancelledAsync(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
        // Measured from the first retry that arrives for BacklogDrainSeconds, or until all are in: the time before the
        // first comes due is waiting, not draining.
        WorkerHost.Progress($"backlog: draining, measured for up to {input.BacklogDrainSeconds} s");
        app.Counter.Reset();
        var drainCpu = CpuWindow.Start(WorkerHost.Processes(input));
        var drainStarted = Clock.Now;
        var okAtStart = stats.DistinctOk;
        var lastReport = Clock.Now;
        while ((stats = await receiver.StatsAsync()).DistinctOk < n && Clock.SecondsSince(drainStarted) < input.BacklogDrainSeconds
               && !cancellationToken.IsCancellationRequested)
        {
            if (Clock.SecondsSince(lastReport) > 10)
            {
                lastReport = Clock.Now;
                WorkerHost.Progress($"  ... {stats.DistinctOk}/{n} retried deliveries answered 200");
            }
            await DelayUnlessCancelledAsync(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
        var drainedAll = stats.DistinctOk >= n;
        var drainWindow = Clock.SecondsSince(drainStarted);
        var drainUsage = drainCpu.Stop();
        var drainedInWindow = Math.Max(1, stats.DistinctOk - okAtStart);
        var drainOps = OpsReport.PerDelivery(app.Counter.Snapshot(), drainedInWindow);

        var receipts = await receiver.ReceiptsAsync();
        var lags = receipts.Values.Where(r => r.Ok != 0 && r.Fail != 0)
            .Select(r => Clock.Milliseconds(r.Fail + (long)(delay.TotalSeconds * System.Diagnostics.Stopwatch.Frequency), r.Ok) / 1000.0);
        long delivered = -1;
        if (drainedAll && !cancellationToken.IsCancellationRequested)
        {
            await app.WaitForBackgroundIdleAsync(TimeSpan.FromSeconds(10));
            WorkerHost.Progress("backlog: counting delivered rows");
            delivered = await app.CountDeliveriesAsync(DeliveryStatus.Delivered);
        }
        return new JsonObject
        {
            ["deliveries"] = n,
            ["raises_failed"] = driver.Failed,
            ["retry_delay_s"] = delay.TotalSeconds,
            ["built"] = built,
            ["build_seconds"] = Math.Round(buildSeconds, 1),
            ["build_per_s"] = Math.Round(n / buildSeconds, 1),
            ["build_cpu"] = buildUsage,
            ["build_storage_ops_per_delivery"] = buildOps,
            ["waiting"] = new JsonObject
            {
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
                ["settled_seconds_before_sample"] = Math.Round(settleSeconds, 1),
                ["app_jit_ms_during_sample"] = Math.Round(jitMs),
                ["storage_ops"] = new JsonObject(idleOps.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
                ["queue_messages"] = messages,
                ["retries_already_delivered"] = beforeFlip.DistinctOk,
            },
            ["drain"] = new JsonObject
            {
                ["delivered_at_receiver"] = stats.DistinctOk,
                ["drained_all"] = drainedAll,
                ["window_seconds"] = Math.Round(drainWindow, 1),
                ["delivered_in_window"] = drainedInWindow,
                ["per_s"] = Math.Round(drainedInWindow / drainWindow, 1),
                ["lag_behind_due_s"] = Percentiles.Summary(lags, "s"),
                ["cpu"] = drainUsage,
                ["storage_ops_per_delivery"] = drainOps,
                ["rows_delivered"] = delivered,
            },
        };
    }
}
