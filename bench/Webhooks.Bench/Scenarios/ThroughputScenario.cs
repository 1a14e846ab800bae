using System.Globalization;
using System.Text.Json.Nodes;
using Webhooks.Bench.Infrastructure;
using Webhooks.Bench.Receiver;
using Webhooks.Bench.Scenarios.Engine;
using Webhooks.Bench.Worker;
using Webhooks.Functions.Delivery;

namespace Webhooks.Bench.Scenarios;

/// <summary>
/// Deliveries per second of the product's delivery path on the Durable Task engine, beside the bare engine's ceiling
/// measured in the same process on the same Azurite with the same settings. First the ceiling: the app's own
/// <c>Durable</c> options turned into backend settings by the product's code, an orchestration whose one activity
/// does nothing, on a task hub of its own, N instances in flight. Then the product: events raised through its own
/// path (completion transaction, PublishAsync starting the orchestration), N deliveries in flight (a raise whenever a
/// first attempt has been recorded), every receiver answering 200, measured over a fixed window after a warm-up.
/// Storage operations per delivery by kind (the app's own and its engine's), CPU, and the app's peak RSS.
/// </summary>
internal static class ThroughputScenario
{
    public const string Name = "throughput";

    public static async Task<JsonObject> RunAsync(WorkerInput input, CancellationToken cancellationToken)
    {
        using var receiver = new ReceiverClient(input.Receiver);
        await receiver.SetModeAsync(ReceiverMode.Ok);
        await using var app = await AppUnderTest.StartAsync(input.AzuriteConnection, new Dictionary<string, string>
        {
            ["Delivery:AttemptTimeout"] = "00:00:02",
        });

        // The ceiling runs first, on a fresh Azurite, while the app's engine idles (it polls its queues once a second).
        var durable = app.Durable;
        var ceilingConfig = EngineConfigs.Named(EngineConfigs.Product) with { Options = () => durable };
        WorkerHost.Progress($"throughput: the bare engine ceiling on the app's Durable settings, {input.Concurrency} in flight for {input.EngineSeconds} s");
        JsonObject ceiling;
        try
        {
            ceiling = await EngineRun.RunAsync(ceilingConfig, input, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            WorkerHost.Progress($"throughput: engine ceiling failed: {e}");
            ceiling = new JsonObject { ["error"] = e.GetType().Name + ": " + e.Message };
        }

        var driver = new EventDriver(app, input.Receiver.HookUrls);
        var measured = await MeasureProductPathAsync(app, driver, receiver, input, "throughput", cancellationToken);
        var rate = measured["deliveries_per_s"]!.GetValue<double>();
        var ceilingRate = ceiling["instances_per_s"]?.GetValue<double>();
        measured["engine_ceiling_per_s"] = ceilingRate;
        measured["ratio_to_engine_ceiling"] = ceilingRate is > 0 ? Math.Round(rate / ceilingRate.Value, 3) : null;
        measured["engine_ceiling"] = ceiling;
        return measured;
    }

    /// <summary>
    /// The product path measured: <see cref="WorkerInput.Concurrency"/> deliveries kept in flight by
    /// <paramref name="driver"/>, a warm-up, then a fixed window: deliveries/s, storage operations per delivery by kind,
    /// CPU and RSS; then the deliveries in flight are waited for and the rows checked.
    /// </summary>
    public static async Task<JsonObject> MeasureProductPathAsync(
        AppUnderTest app, EventDriver driver, ReceiverClient receiver, WorkerInput input, string label, CancellationToken cancellationToken)
    {
        await receiver.ResetAsync();
        WorkerHost.Progress($"{label}: the product's delivery path, warm-up of {input.Warmup} deliveries, then {input.ThroughputSeconds} s, {input.Concurrency} in flight");
        using var stopRaising = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var raising = driver.RaiseKeepingInFlightAsync(input.Concurrency, int.MaxValue, stopRaising.Token);
        var warm = await WaitForAsync(() => driver.AttemptsRecorded >= input.Warmup, TimeSpan.FromSeconds(120), cancellationToken);
        if (!warm)
        {
            WorkerHost.Progress($"{label}: the warm-up did not finish; storage operations so far: " +
                string.Join(", ", app.Counter.Snapshot().Select(p => $"{p.Key} {p.Value}")));
        }

        var gcBefore = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
        await using var rss = new RssSampler();
        var cpu = CpuWindow.Start(WorkerHost.Processes(input));
        var opsBefore = app.Counter.Snapshot();
        var recordedBefore = driver.AttemptsRecorded;
        var started = Clock.Now;
        var perSecond = new JsonArray();
        var lastRecorded = recordedBefore;
        while (Clock.SecondsSince(started) < input.ThroughputSeconds && !raising.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var now = driver.AttemptsRecorded;
            perSecond.Add(now - lastRecorded);
            lastRecorded = now;
        }
        var recorded = driver.AttemptsRecorded - recordedBefore;
        var seconds = Clock.SecondsSince(started);
        var ops = StorageOpCounter.Between(opsBefore, app.Counter.Snapshot());
        var usage = cpu.Stop();
        var peakRss = rss.MaxBytes;
        await stopRaising.CancelAsync();
        await raising;

        WorkerHost.Progress($"{label}: waiting for the deliveries in flight, then checking rows");
        var allRecorded = await WaitForAsync(
            () => driver.AttemptsRecorded + (driver.Failed * driver.DeliveriesPerRaise) >= driver.Published * driver.DeliveriesPerRaise,
            TimeSpan.FromSeconds(60), CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
        var stats = await receiver.StatsAsync();
        var delivered = await app.CountDeliveriesAsync(DeliveryStatus.Delivered);
        var pending = await app.CountDeliveriesAsync(DeliveryStatus.Pending);
        var rate = recorded / seconds;
        return new JsonObject
        {
            ["in_flight"] = input.Concurrency,
            ["endpoints"] = input.Receiver.HookPorts.Count,
            ["warmed_up"] = warm,
            ["seconds"] = Math.Round(seconds, 2),
            ["deliveries"] = recorded,
            ["deliveries_per_s"] = Math.Round(rate, 1),
            ["deliveries_each_second"] = perSecond,
            ["storage_ops_per_delivery"] = OpsReport.PerDelivery(ops, recorded),
            ["cpu"] = usage,
            ["app_cpu_ms_per_delivery"] = Math.Round(usage["app_cpu_s"]!.GetValue<double>() * 1000 / Math.Max(1, recorded), 2),
            ["azurite_cpu_ms_per_delivery"] = Math.Round(usage["azurite_cpu_s"]!.GetValue<double>() * 1000 / Math.Max(1, recorded), 2),
            ["app_peak_rss_mb"] = ProcessMeter.Megabytes(peakRss),
            ["app_gcs"] = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) - gcBefore,
            ["events_raised"] = driver.Published,
            ["raises_failed"] = driver.Failed,
            ["all_first_attempts_recorded"] = allRecorded,
            ["receiver_distinct_ok"] = stats.DistinctOk,
            ["receiver_duplicates"] = stats.Ok - stats.DistinctOk,
            ["receiver_non_ok"] = stats.Failed + stats.Hung,
            ["rows_delivered"] = delivered,
            ["rows_pending"] = pending,
        };
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds, reporting progress every 10 s.</summary>
    public static async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Clock.Now;
        var lastReport = started;
        while (!condition())
        {
            if (Clock.SecondsSince(started) > timeout.TotalSeconds)
            {
                return false;
            }
            if (Clock.SecondsSince(lastReport) > 10)
            {
                lastReport = Clock.Now;
                WorkerHost.Progress(string.Create(CultureInfo.InvariantCulture, $"  ... still waiting ({Clock.SecondsSince(started):0} s)"));
            }
            await Task.Delay(10, cancellationToken);
        }
        return true;
    }
}
