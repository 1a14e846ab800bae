using System.Text.Json.Nodes;
using Webhooks.Bench.Infrastructure;
using Webhooks.Bench.Receiver;
using Webhooks.Bench.Worker;

namespace Webhooks.Bench.Scenarios;

/// <summary>
/// Latency and isolation: events raised open-loop at a fixed rate (half the throughput scenario's deliveries/s), each
/// on schedule whether or not earlier raises have returned; latency is from the start of the raise (PrepareAsync,
/// before the completion transaction) to the first 200 at the receiver, through the orchestration's start, its first
/// episode and the attempt activity. With isolation, 10 % of the endpoints (distinct ports) hang until the 2 s attempt
/// timeout, holding activity slots, and the latency is reported for the healthy endpoints' events.
/// </summary>
internal static class LatencyScenario
{
    public const string Name = "latency";
    public const string IsolationName = "isolation";

    /// <summary>Raises in flight beyond this are not started (counted as skipped), so a stalled app cannot grow the bench without bound.</summary>
    private const int MaxInFlight = 5_000;

    public static async Task<JsonObject> RunAsync(WorkerInput input, bool isolation, CancellationToken cancellationToken)
    {
        var name = isolation ? IsolationName : Name;
        using var receiver = new ReceiverClient(input.Receiver);
        await receiver.SetModeAsync(ReceiverMode.Ok);
        await using var app = await AppUnderTest.StartAsync(input.AzuriteConnection, new Dictionary<string, string>
        {
            ["Delivery:AttemptTimeout"] = "00:00:02",
        });
        var driver = new EventDriver(app, input.Receiver.HookUrls);
        WorkerHost.Progress($"{name}: warm-up, {input.Warmup} events");
        await driver.RaiseKeepingInFlightAsync(input.Concurrency, input.Warmup, cancellationToken);
        await ThroughputScenario.WaitForAsync(() => driver.AttemptsRecorded + driver.Failed >= driver.Published, TimeSpan.FromSeconds(60), cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);

        var endpoints = input.Receiver.HookPorts.Count;
        var hanging = isolation ? Math.Max(1, endpoints / 10) : 0;
        if (hanging > 0)
        {
            await receiver.SetModeAsync(ReceiverMode.Hang, input.Receiver.HookPorts.Take(hanging));
        }
        await receiver.ResetAsync();
        var opsBefore = app.Counter.Snapshot();

        var total = (int)Math.Round(input.Rate * input.LatencySeconds);
        WorkerHost.Progress($"{name}: {total} events at {input.Rate:0.#}/s open-loop, {hanging} of {endpoints} endpoints hanging");
        var records = new List<RaisedRecord>(total);
        var inFlight = new List<Task>(total);
        var running = 0;
        var skipped = 0;
        var raiseErrors = 0;
        var cpu = CpuWindow.Start(WorkerHost.Processes(input));
        var started = Clock.Now;
        for (var i = 0; i < total && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = started + (long)(i / input.Rate * System.Diagnostics.Stopwatch.Frequency);
            var wait = Clock.Milliseconds(Clock.Now, due);
            if (wait >= 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait), cancellationToken);
            }
            if (Volatile.Read(ref running) >= MaxInFlight)
            {
                skipped++;
                continue;
            }
            Interlocked.Increment(ref running);
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    var record = await driver.RaiseAsync(cancellationToken);
                    lock (records)
                    {
                        records.Add(record);
                    }
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref raiseErrors);
                }
                finally
                {
                    Interlocked.Decrement(ref running);
                }
            }, CancellationToken.None));
        }
        var raisingSeconds = Clock.SecondsSince(started);
        await Task.WhenAll(inFlight);

        var healthy = records.Where(r => r.Endpoint >= hanging).ToList();
        var waitStarted = Clock.Now;
        while ((await receiver.StatsAsync()).DistinctOk < healthy.Count && Clock.SecondsSince(waitStarted) < 30)
        {
            await Task.Delay(100, cancellationToken);
        }
        var usage = cpu.Stop();
        var stats = await receiver.StatsAsync();
        var receipts = await receiver.ReceiptsAsync();
        var latencies = new List<double>(healthy.Count);
        var prepares = new List<double>(healthy.Count);
        var commits = new List<double>(healthy.Count);
        var starts = new List<double>(healthy.Count);
        var attempts = new List<double>(healthy.Count);
        foreach (var record in healthy)
        {
            if (receipts.TryGetValue(record.EventId, out var receipt) && receipt.Ok != 0)
            {
                latencies.Add(Clock.Milliseconds(record.RaisedAt, receipt.Ok));
                prepares.Add(Clock.Milliseconds(record.RaisedAt, record.PreparedAt));
                commits.Add(Clock.Milliseconds(record.PreparedAt, record.CommittedAt));
                starts.Add(Clock.Milliseconds(record.CommittedAt, record.PublishedAt));
                attempts.Add(Clock.Milliseconds(record.PublishedAt, receipt.Ok));
            }
        }
        var result = new JsonObject
        {
            ["target_rate_per_s"] = Math.Round(input.Rate, 1),
            ["achieved_raise_rate_per_s"] = Math.Round(records.Count / raisingSeconds, 1),
            ["events"] = records.Count,
            ["skipped_raises"] = skipped,
            ["raise_errors"] = raiseErrors,
            ["endpoints"] = endpoints,
            ["hanging_endpoints"] = hanging,
            ["healthy_events"] = healthy.Count,
            ["healthy_missing"] = healthy.Count - latencies.Count,
            ["hung_requests"] = stats.Hung,
            ["latency_ms"] = Percentiles.Summary(latencies, "ms"),
            // Where the time goes: PrepareAsync (team read, cached); the completion transaction; PublishAsync (the
            // orchestration's start); from the start to the receiver (the control queue, the first episode, the
            // work-item queue, the activity's reads and the signed POST).
            ["segments_ms"] = new JsonObject
            {
                ["prepare"] = Percentiles.Summary(prepares, "ms"),
                ["completion_transaction"] = Percentiles.Summary(commits, "ms"),
                ["start_orchestration"] = Percentiles.Summary(starts, "ms"),
                ["start_to_receiver"] = Percentiles.Summary(attempts, "ms"),
            },
            ["storage_ops_per_delivery"] = OpsReport.PerDelivery(StorageOpCounter.Between(opsBefore, app.Counter.Snapshot()), Math.Max(1, records.Count)),
            ["cpu"] = usage,
        };
        await receiver.SetModeAsync(ReceiverMode.Ok);
        return result;
    }
}
