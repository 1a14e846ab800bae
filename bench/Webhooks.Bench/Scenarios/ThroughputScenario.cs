using System.Globalization;
using System.Text.Json.Nodes;
using Webhooks.Bench.Infrastructure;
using Webhooks.Bench.Receiver;
using Webhooks.Bench.Worker;
using Webhooks.Functions.Delivery;

namespace Webhooks.Bench.Scenarios;

/// <summary>
/// Scenario 2: N events raised through the product's own path by concurrent raisers, every receiver answering 200.
/// Deliveries per second from the first raise to the last outcome recorded (the last completed outcome
/// transaction), storage operations per delivery by kind, CPU of app, Azurite and receiver, and the app's peak RSS.
/// </summary>
internal static class ThroughputScenario
{
    public const string Name = "throughput";

    /// <summary>Every delivery writes two jobs-table transactions: the completion (event + delivery) and the outcome.</summary>
    private const string JobsBatch = "table jobs batch";

    public static async Task<JsonObject> RunAsync(WorkerInput input, CancellationToken cancellationToken)
    {
        using var receiver = new ReceiverClient(input.Receiver);
        await receiver.SetModeAsync(ReceiverMode.Ok);
        await using var app = await AppUnderTest.StartAsync(input.AzuriteConnection, new Dictionary<string, string>
        {
            ["Delivery:AttemptTimeout"] = "00:00:02",
        });
        var driver = new EventDriver(app, input.Receiver.HookUrls);

        WorkerHost.Progress($"throughput: warm-up, {input.Warmup} events");
        await driver.RaiseClosedLoopAsync(input.Warmup, input.Concurrency, cancellationToken);
        await WaitForOutcomesAsync(app, driver.ExpectedTransactions, TimeSpan.FromSeconds(60), cancellationToken);
        await Task.Delay(500, cancellationToken);
        app.Counter.Reset();
        await receiver.ResetAsync();
        driver = new EventDriver(app, input.Receiver.HookUrls);

        WorkerHost.Progress($"throughput: {input.Events} events, {input.Concurrency} raisers");
        var gcBefore = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
        await using var rss = new RssSampler();
        var cpu = CpuWindow.Start(WorkerHost.Processes(input));
        var started = Clock.Now;
        using var sampling = new CancellationTokenSource();
        var samples = SampleCostsAsync(app, input.AzuritePids, sampling.Token);
        using (var cap = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            cap.CancelAfter(TimeSpan.FromSeconds(input.RaiseCapSeconds));
            await driver.RaiseClosedLoopAsync(input.Events, input.Concurrency, cap.Token);
        }
        var raisedAt = Clock.Now;
        var complete = await WaitForOutcomesAsync(app, driver.ExpectedTransactions, TimeSpan.FromSeconds(60), CancellationToken.None);
        await sampling.CancelAsync();
        var costByQuarter = ByQuarter(await samples);
        var idle = await app.WaitForBackgroundIdleAsync(TimeSpan.FromSeconds(30));
        var lastOutcome = app.Counter.LastCompletedAt(JobsBatch);
        var usage = cpu.Stop();
        var ops = app.Counter.Snapshot();
        var elapsed = Clock.Seconds(started, lastOutcome);
        var recorded = driver.Published;
        var stats = await receiver.StatsAsync();

        WorkerHost.Progress("throughput: counting delivered rows");
        var delivered = await app.CountDeliveriesAsync(DeliveryStatus.Delivered);
        var pending = await app.CountDeliveriesAsync(DeliveryStatus.Pending);
        return new JsonObject
        {
            ["events"] = input.Events,
            ["events_raised"] = driver.Published,
            ["stopped_at_time_cap"] = driver.Committed + driver.Failed < input.Events,
            ["raise_cap_s"] = input.RaiseCapSeconds,
            ["raisers"] = input.Concurrency,
            ["endpoints"] = input.Receiver.HookPorts.Count,
            ["deliveries_per_s"] = Math.Round(recorded / elapsed, 1),
            ["raises_per_s"] = Math.Round(driver.Committed / Clock.Seconds(started, raisedAt), 1),
            ["raises_failed"] = driver.Failed,
            ["raises_committed_not_published"] = driver.Committed - driver.Published,
            ["seconds"] = Math.Round(elapsed, 2),
            ["all_outcomes_recorded"] = complete,
            ["background_idle"] = idle,
            ["receiver_distinct_ok"] = stats.DistinctOk,
            ["receiver_duplicates"] = stats.Ok - stats.DistinctOk,
            ["receiver_non_ok"] = stats.Failed + stats.Hung,
            ["rows_delivered"] = delivered,
            ["rows_expected_delivered"] = recorded + input.Warmup,
            ["rows_pending"] = pending,
            ["storage_ops_per_delivery"] = OpsReport.PerDelivery(ops, Math.Max(1, recorded)),
            ["cpu"] = usage,
            ["app_cpu_ms_per_delivery"] = Math.Round(usage["app_cpu_s"]!.GetValue<double>() * 1000 / Math.Max(1, recorded), 2),
            ["azurite_cpu_ms_per_delivery"] = Math.Round(usage["azurite_cpu_s"]!.GetValue<double>() * 1000 / Math.Max(1, recorded), 2),
            ["by_quarter_of_the_run"] = costByQuarter,
            ["app_peak_rss_mb"] = ProcessMeter.Megabytes(rss.MaxBytes),
            ["app_gcs"] = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) - gcBefore,
        };
    }

    /// <summary>Every second: jobs-table transactions completed so far, Azurite's and the app's CPU time, and the time.</summary>
    private static async Task<List<(long Transactions, double AzuriteMs, double AppMs, long At)>> SampleCostsAsync(
        AppUnderTest app, int[] azuritePids, CancellationToken cancellationToken)
    {
        var samples = new List<(long, double, double, long)>();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                samples.Add((app.Counter.Completed(JobsBatch), (ProcessMeter.CpuTime(azuritePids) ?? TimeSpan.Zero).TotalMilliseconds,
                    (ProcessMeter.CpuTime(Environment.ProcessId) ?? TimeSpan.Zero).TotalMilliseconds, Clock.Now));
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
        return samples;
    }

    /// <summary>
    /// Deliveries/s and CPU ms per delivery in each quarter of the run (by transactions completed): if a cost grows as
    /// tables fill up, it shows here.
    /// </summary>
    private static JsonArray ByQuarter(List<(long Transactions, double AzuriteMs, double AppMs, long At)> samples)
    {
        var quarters = new JsonArray();
        if (samples.Count < 5)
        {
            return quarters;
        }
        var total = samples[^1].Transactions;
        var from = samples[0];
        for (var q = 1; q <= 4; q++)
        {
            var to = samples.FirstOrDefault(x => x.Transactions >= total * q / 4, samples[^1]);
            var deliveries = (to.Transactions - from.Transactions) / 2.0;
            if (deliveries > 0 && to.At > from.At)
            {
                quarters.Add(new JsonObject
                {
                    ["deliveries_per_s"] = Math.Round(deliveries / Clock.Seconds(from.At, to.At), 1),
                    ["azurite_cpu_ms_per_delivery"] = Math.Round((to.AzuriteMs - from.AzuriteMs) / deliveries, 2),
                    ["app_cpu_ms_per_delivery"] = Math.Round((to.AppMs - from.AppMs) / deliveries, 2),
                });
            }
            from = to;
        }
        return quarters;
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> jobs-table transactions have completed since the last reset.</summary>
    public static async Task<bool> WaitForOutcomesAsync(AppUnderTest app, long count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Clock.Now;
        var lastReport = started;
        while (app.Counter.Completed(JobsBatch) < count)
        {
            if (Clock.SecondsSince(started) > timeout.TotalSeconds)
            {
                return false;
            }
            if (Clock.SecondsSince(lastReport) > 10)
            {
                lastReport = Clock.Now;
                WorkerHost.Progress(string.Create(CultureInfo.InvariantCulture,
                    $"  ... {app.Counter.Completed(JobsBatch)}/{count} jobs-table transactions, {app.Background.Running} first attempts running"));
            }
            await Task.Delay(10, cancellationToken);
        }
        return true;
    }
}
