using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Webhooks.Functions.Hosting;
using Webhooks.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.Functions.Tests.Reliability;

/// <summary>
/// A bad network between the app and storage (<see cref="StorageFaultProxy"/> in front of the shared Azurite), one fault
/// class per test, on the product's real paths: batches and a crawl created through the API, completions fanned out
/// to two endpoints, attempts and retries on durable timers, a redeliver and a recover, endpoint health, and the
/// sweeper (listing repair, stalled-work sweeps, retention) all run while the faults are on. Then the faults stop.
/// Afterwards every job, event, delivery and attempt is checked with the crash suite's <see cref="Ledger"/>: nothing
/// lost, no delivery raised or made twice, no attempt the table does not have, no two runs of an attempt at once, no
/// 5xx but a 503 with Retry-After to an API caller, and a job created once the faults stop is delivered (the app
/// recovered by itself). An attempt sent again after its first run was cut is counted and reported, not failed:
/// delivery is at-least-once (see docs/storage-faults.md).
/// </summary>
[Collection(RunsAloneCollection.Name)]
public sealed class StorageFaultTests(ITestOutputHelper output)
{
    private const int MaxAttempts = 3;

    /// <summary>
    /// Fast retries; the listing repaired at every sweep once rows are 5 s old; a delivery whose start was lost is
    /// started by the sweeper after 20 s (2 min by default); a control or work-item message a failed call left
    /// received comes back after 15 s.
    /// </summary>
    private static readonly Dictionary<string, string?> Settings = new(StringComparer.Ordinal)
    {
        ["Delivery:Policies:standard"] = "0s,1s,2s",
        ["Delivery:AttemptTimeout"] = "00:00:03",
        ["EventIndex:RepairInterval"] = "00:00:00",
        ["EventIndex:RepairMinAge"] = "00:00:05",
        ["Delivery:UnstartedGrace"] = "00:00:20",
        ["Durable:MessageVisibilityTimeout"] = "00:00:15",
    };

    /// <summary>Each phase's deadline: the designed worst case is a lost start picked up by the sweeper (20 s) or a message back after 15 s.</summary>
    private static readonly TimeSpan PhaseDeadline = TimeSpan.FromSeconds(75);

    /// <summary>Retention's scans yield to foreground work and each held write costs 12 s: 78 s were seen on a loaded machine.</summary>
    private static readonly TimeSpan RetentionDeadline = TimeSpan.FromMinutes(2);

    [Fact]
    public Task Latency_200msPlusMinus150OnHalfTheRequests_EverythingEndsOnceAndConsistent() =>
        RunAsync(new StorageFaults { LatencyShare = 0.5, Latency = TimeSpan.FromMilliseconds(200), LatencySpread = TimeSpan.FromMilliseconds(150) }, seed: 2701);

    [Fact]
    public Task Throttling_503ServerBusyOnAShareOfRequests_EverythingEndsOnceAndConsistent() =>
        RunAsync(new StorageFaults { ThrottleShare = 0.2, Budget = 600 }, seed: 2702, StorageFault.Throttle);

    [Fact]
    public Task Resets_MidRequestAndMidResponse_EverythingEndsOnceAndConsistent() =>
        RunAsync(new StorageFaults { ResetRequestShare = 0.02, ResetResponseShare = 0.02, Budget = 120 }, seed: 2703,
            StorageFault.ResetRequest, StorageFault.ResetResponse);

    /// <summary>
    /// Writes only (reads that come back late are just slow): storage commits the write, the client's 10 s timeout
    /// passes, and it tries the committed write again.
    /// </summary>
    [Fact]
    public Task HeldAnswers_CommittedWritesAnsweredAfterTheClientTimedOut_EverythingEndsOnceAndConsistent() =>
        RunAsync(new StorageFaults { HoldShare = 0.04, Budget = 10, Hold = TimeSpan.FromSeconds(12), Applies = (method, _) => method is not ("GET" or "HEAD") },
            seed: 2704, StorageFault.Hold);

    private async Task RunAsync(StorageFaults faults, int seed, params StorageFault[] mustInject)
    {
        var clock = Stopwatch.StartNew();
        var azurite = await AzuriteProcess.Shared;
        await using var proxy = StorageFaultProxy.Start(azurite, seed);
        await using var site = await TestSite.StartAsync();
        var receivers = new Dictionary<ReceiverBehaviour, ScriptedReceiver>();
        var endpointReceivers = new List<ScriptedReceiver>();
        TestApp? app = null;
        try
        {
            foreach (var behaviour in new[] { ReceiverBehaviour.AlwaysOk, ReceiverBehaviour.FailFirstTwo, ReceiverBehaviour.AlwaysFail })
            {
                receivers[behaviour] = await ScriptedReceiver.StartAsync(behaviour);
            }
            for (var i = 0; i < 2; i++)
            {
                endpointReceivers.Add(await ScriptedReceiver.StartAsync(ReceiverBehaviour.AlwaysOk));
            }
            app = await TestApp.StartAsync(Settings, connectionString: proxy.ConnectionString);
            var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(app.Prefix + "jobs");
            using var http = app.Client();
            var api = new FaultyApiCaller(http);
            var endpointIds = new List<string>();
            foreach (var receiver in endpointReceivers)
            {
                var endpoint = await (await http.PostAsync("/v1/endpoints", HttpAssertions.Json(JsonSerializer.Serialize(new { url = receiver.Url }))))
                    .AssertJsonAsync(HttpStatusCode.Created);
                endpointIds.Add(endpoint.GetProperty("id").GetString()!);
            }
            var since = TimeProvider.System.GetUtcNow().AddMinutes(-1);

            proxy.Faults = faults;
            var faultsOn = clock.Elapsed;

            // Phase 1: jobs created, worked, completed; events fanned out; attempts retried on durable timers.
            var jobs = await CreateJobsAsync(api, site, receivers);
            var expected = jobs.ToDictionary(j => j.Plan.Id, j => j.FanOut ? endpointIds.Count : 1, StringComparer.Ordinal);
            await SettleAsync(table, jobs, expected, proxy, "phase 1");

            // Phase 2, faults still on: recover the failed deliveries, redeliver one delivered event, read endpoint health.
            var until = TimeProvider.System.GetUtcNow();
            using (var recovered = await api.PostAsync("/v1/deliveries/recover", JsonSerializer.Serialize(new { since, until })))
            {
                Assert.True(recovered.StatusCode == HttpStatusCode.Accepted, $"recover: {(int)recovered.StatusCode} {await recovered.Content.ReadAsStringAsync()}");
            }
            var redelivered = jobs.First(j => !j.FanOut && j.Plan.Receiver == ReceiverBehaviour.AlwaysOk);
            using (var again = await api.PostAsync($"/v1/events/{redelivered.Plan.EventId}/redeliver", "{}"))
            {
                Assert.True(again.StatusCode == HttpStatusCode.Accepted, $"redeliver: {(int)again.StatusCode} {await again.Content.ReadAsStringAsync()}");
            }
            foreach (var id in endpointIds)
            {
                using var health = await api.GetAsync($"/v1/endpoints/{id}/health");
                Assert.True(health.StatusCode == HttpStatusCode.OK, $"health of {id}: {(int)health.StatusCode}");
            }
            foreach (var job in jobs.Where(j => !j.FanOut && j.Plan.Receiver == ReceiverBehaviour.AlwaysFail))
            {
                expected[job.Plan.Id] = 2;
            }
            expected[redelivered.Plan.Id] = 2;
            await SettleAsync(table, jobs, expected, proxy, "phase 2");

            proxy.Faults = StorageFaults.None;
            var faultsOff = clock.Elapsed;
            var injected = proxy.Summary;
            foreach (var fault in mustInject)
            {
                Assert.True(proxy.Injected(fault) > 0, $"no {fault} was injected: {injected}");
            }

            // The faults have stopped: the app is healthy again and a new job goes through without help.
            using (var anonymous = app.Client(apiKey: null))
            {
                await ReliabilityKit.UntilAsync(async () => (await anonymous.GetAsync("/healthz")).StatusCode, s => s == HttpStatusCode.OK,
                    PhaseDeadline, TimeSpan.FromMilliseconds(200), s => $"/healthz to answer 200, not {(int)s}");
            }
            var fresh = await CreateAsync(api, "/v1/batches", JsonSerializer.Serialize(new { items = new[] { new { url = site.Url("/b/after-faults") } }, webhook = receivers[ReceiverBehaviour.AlwaysOk].Url }),
                "after-faults", new PlannedJob("", "batch", 2, ReceiverBehaviour.AlwaysOk, "completed", 1, 0));
            var all = jobs.Append(new FaultJob(fresh, FanOut: false)).ToList();
            expected[fresh.Id] = 1;
            var rows = await SettleAsync(table, all, expected, proxy, "after the faults stopped");
            var recoveredIn = clock.Elapsed - faultsOff;

            var problems = new List<string>();
            var doubled = Check(all, rows, receivers.Values.Concat(endpointReceivers).ToList(), endpointIds, problems);
            await CheckApiAsync(http, all, rows, problems);
            await CheckHealthAsync(http, endpointIds, rows, problems);
            await Ledger.CheckListingAsync(http, all.Select(j => j.Plan.EventId), rows, problems);
            problems.AddRange(api.BadAnswers.Select(b => "API answer: " + b));
            Assert.True(problems.Count == 0, $"{problems.Count} problems under {injected}:\n{string.Join('\n', problems.Take(40))}\n--- faults ---\n{string.Join('\n', proxy.Log.Take(60))}");

            var deliveries = rows.Values.Sum(r => r.Count(e => e.RowKey.StartsWith("delivery_", StringComparison.Ordinal)));
            var attempts = rows.Values.Sum(r => r.Count(e => e.RowKey.StartsWith("attempt_", StringComparison.Ordinal)));
            output.WriteLine($"faults: {injected}");
            output.WriteLine($"jobs {all.Count}, events {all.Count}, deliveries {deliveries}, attempt rows {attempts}; lost 0, attempts sent twice {doubled}; " +
                $"API answers {api.Answers} ({api.Retried} 503+Retry-After retried, {api.BadAnswers.Count} bad); " +
                $"faults on {(faultsOff - faultsOn).TotalSeconds:0}s; after they stopped, healthy and a new job delivered in {recoveredIn.TotalSeconds:0.0}s; " +
                $"total {clock.Elapsed.TotalSeconds:0}s");

            // Retention, faults on again: the app restarted on the same storage erases every job with all it holds.
            // Not under held answers: each costs the client's 10 s timeout and the sweep paces itself by its own
            // duration, so a fresh budget of holds outlasts the phase's deadline (seen once: 6 exhaustion events and
            // one team's idempotency records still there after 75 s, 8 holds in).
            if (!mustInject.Contains(StorageFault.Hold))
            {
                var prefix = app.Prefix;
                await app.DisposeAsync();
                app = null;
                await RetentionAsync(proxy, faults, table, prefix, all);
            }
        }
        finally
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
            foreach (var receiver in receivers.Values.Concat(endpointReceivers))
            {
                await receiver.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The app restarted on the same storage keeps rows for one second; with the faults on, its sweeper (every sweep, as
    /// the timer runs them; a pass a fault cut short runs again) is run until no job partition and no idempotency record
    /// is left. Then, faults off: each job and event answers 404 and the listing is empty.
    /// </summary>
    private async Task RetentionAsync(StorageFaultProxy proxy, StorageFaults faults, TableClient table, string prefix, List<FaultJob> jobs)
    {
        var settings = new Dictionary<string, string?>(Settings, StringComparer.Ordinal)
        {
            ["Retention:Age"] = "00:00:01",
            ["Sweeper:Enabled"] = "false",
        };
        await using var app = await TestApp.StartAsync(settings, connectionString: proxy.ConnectionString, prefix: prefix);
        var sweeper = app.Services.GetRequiredService<Sweeper>();
        var started = Stopwatch.StartNew();
        proxy.Faults = faults;
        var idempotency = new TableServiceClient((await AzuriteProcess.Shared).ConnectionString).GetTableClient(prefix + "idempotency");
        var passes = 0;
        // A pass that a fault cut short after erasing the partitions leaves the idempotency records to the next pass.
        await ReliabilityKit.UntilAsync(async () =>
            {
                passes++;
                await sweeper.RunAsync(CancellationToken.None);
                return (Jobs: await ReliabilityKit.PartitionsAsync(table), Records: (await ReliabilityKit.PartitionsAsync(idempotency)).Count);
            },
            // Every partition of the jobs table: the jobs', and those of the exhaustion events their failed deliveries raised.
            p => p.Jobs.Count == 0 && p.Records == 0, RetentionDeadline, TimeSpan.FromMilliseconds(250),
            p => $"retention to erase {string.Join(",", p.Jobs.Keys)} and {p.Records} teams' idempotency records; proxy: {proxy.Summary}");
        proxy.Faults = StorageFaults.None;
        var erasedIn = started.Elapsed;

        using var http = app.Client();
        var problems = new List<string>();
        foreach (var job in jobs.Select(j => j.Plan))
        {
            foreach (var path in new[] { job.Location, $"/v1/events/{job.EventId}" })
            {
                using var response = await http.GetAsync(path);
                if (response.StatusCode != HttpStatusCode.NotFound)
                {
                    problems.Add($"after retention, GET {path} answers {(int)response.StatusCode}");
                }
            }
        }
        var listed = await (await http.GetAsync("/v1/events")).AssertJsonAsync(HttpStatusCode.OK);
        if (listed.GetProperty("data").GetArrayLength() != 0)
        {
            problems.Add($"after retention, the listing shows {listed}");
        }
        var records = await ReliabilityKit.PartitionsAsync(idempotency);
        if (records.Count != 0)
        {
            problems.Add($"after retention, idempotency records are left: {string.Join(",", records.Values.SelectMany(r => r).Select(r => r.RowKey))}");
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        output.WriteLine($"retention: {jobs.Count} jobs erased under faults in {erasedIn.TotalSeconds:0.0}s, {passes} sweeper runs; proxy: {proxy.Summary}");
    }

    /// <summary>A job of the run; a fan-out job names no webhook, so its event goes to every endpoint of the team.</summary>
    private sealed record FaultJob(PlannedJob Plan, bool FanOut);

    private static async Task<List<FaultJob>> CreateJobsAsync(FaultyApiCaller api, TestSite site, Dictionary<ReceiverBehaviour, ScriptedReceiver> receivers)
    {
        var requests = new List<(string Path, string Json, string Key, PlannedJob Plan, bool FanOut)>();
        var behaviours = new[] { ReceiverBehaviour.AlwaysOk, ReceiverBehaviour.FailFirstTwo, ReceiverBehaviour.AlwaysFail };
        for (var i = 0; i < 9; i++)
        {
            var receiver = behaviours[i % 3];
            var (items, failed) = Items(site, $"w{i}", 1 + (i % 3));
            var json = $"{{\"items\":[{string.Join(',', items)}],\"webhook\":{JsonSerializer.Serialize(receivers[receiver].Url)}}}";
            requests.Add(("/v1/batches", json, $"w{i}", new PlannedJob("", "batch", 1, receiver, "completed", items.Count - failed, failed), false));
        }
        for (var i = 0; i < 4; i++)
        {
            var (items, failed) = Items(site, $"f{i}", 1 + (i % 2));
            requests.Add(("/v1/batches", $"{{\"items\":[{string.Join(',', items)}]}}", $"f{i}",
                new PlannedJob("", "batch", 1, ReceiverBehaviour.AlwaysOk, "completed", items.Count - failed, failed), true));
        }
        var crawl = JsonSerializer.Serialize(new { start_url = site.Url("/c/faults/0?d=10"), max_pages = 4, webhook_url = receivers[ReceiverBehaviour.AlwaysOk].Url });
        requests.Add(("/v1/crawls", crawl, "crawl", new PlannedJob("", "crawl", 1, ReceiverBehaviour.AlwaysOk, "completed", 4, 0), false));

        var created = new FaultJob[requests.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (n, _) =>
        {
            var (path, json, key, plan, fanOut) = requests[n];
            created[n] = new FaultJob(await CreateAsync(api, path, json, key, plan), fanOut);
        });
        return [.. created];
    }

    /// <summary>Items of a batch on the test site; every fourth is a 404, a failed item that never fails its batch.</summary>
    private static (List<string> Items, int Failed) Items(TestSite site, string name, int count)
    {
        var items = new List<string>();
        var failed = 0;
        for (var j = 0; j < count; j++)
        {
            var missing = (name.Length + j) % 4 == 3;
            failed += missing ? 1 : 0;
            var url = site.Url(missing ? $"/missing/{name}-{j}" : $"/b/{name}-{j}?d=10");
            items.Add(JsonSerializer.Serialize(new { url, custom_id = $"item-{j}" }));
        }
        return (items, failed);
    }

    private static async Task<PlannedJob> CreateAsync(FaultyApiCaller api, string path, string json, string key, PlannedJob plan)
    {
        using var response = await api.PostAsync(path, json, idempotencyKey: key);
        var job = await response.AssertJsonAsync(HttpStatusCode.Created);
        return plan with { Id = job.GetProperty("id").GetString()! };
    }

    private async Task<Dictionary<string, List<TableEntity>>> SettleAsync(
        TableClient table, List<FaultJob> jobs, Dictionary<string, int> expected, StorageFaultProxy proxy, string phase)
    {
        var started = Stopwatch.StartNew();
        var rows = await ReliabilityKit.UntilAsync(() => ReliabilityKit.PartitionsAsync(table), p => Unsettled(jobs, expected, p).Count == 0,
            PhaseDeadline, TimeSpan.FromMilliseconds(250),
            p => $"{phase}: to settle: {string.Join("; ", Unsettled(jobs, expected, p).Take(10))}; proxy: {proxy.Summary}");
        output.WriteLine($"{phase} settled in {started.Elapsed.TotalSeconds:0.0}s ({proxy.Summary})");
        return rows;
    }

    /// <summary>Jobs not final, or whose deliveries are fewer than expected or not final yet, each with what it waits for.</summary>
    private static List<string> Unsettled(List<FaultJob> jobs, Dictionary<string, int> expected, Dictionary<string, List<TableEntity>> partitions)
    {
        var unsettled = new List<string>();
        foreach (var job in jobs)
        {
            var rows = partitions.GetValueOrDefault(job.Plan.Id) ?? [];
            var status = rows.FirstOrDefault(r => r.RowKey == "job")?.GetString("Status");
            var deliveries = Deliveries(rows);
            if (status is null or "in_progress" || deliveries.Count < expected[job.Plan.Id] || deliveries.Any(d => d.GetString("Status") == "pending"))
            {
                var marks = rows.Where(r => r.RowKey.StartsWith("recovered_", StringComparison.Ordinal))
                    .Select(r => $"mark {r.GetString("DeliveryId")}->{r.GetString("RecoveredBy")}");
                unsettled.Add($"{job.Plan.Id} ({job.Plan.Receiver}) job={status ?? "none"} " + string.Join(",", deliveries.Select(d =>
                    $"{d.GetString("DeliveryId")}:{d.GetString("Status")}:{d.GetInt32("AttemptsMade")}@{d.GetDateTimeOffset("CreatedAt"):HH:mm:ss.fff}").Concat(marks)));
            }
        }
        return unsettled;
    }

    private static List<TableEntity> Deliveries(List<TableEntity> rows) => [.. rows.Where(r => r.RowKey.StartsWith("delivery_", StringComparison.Ordinal))];

    /// <summary>
    /// The table against the plan and the receivers, delivery by delivery; returns how many (delivery, attempt) pairs a
    /// receiver got more than once, one after the other.
    /// </summary>
    private static int Check(
        List<FaultJob> jobs, Dictionary<string, List<TableEntity>> partitions, List<ScriptedReceiver> receivers, List<string> endpointIds, List<string> problems)
    {
        var requests = receivers.SelectMany(r => r.Requests).ToList();
        var rowIds = partitions.Values.SelectMany(Deliveries).Select(d => d.GetString("DeliveryId")).ToHashSet(StringComparer.Ordinal);
        foreach (var stray in requests.Where(r => !rowIds.Contains(r.DeliveryId)).Select(r => r.DeliveryId).Distinct())
        {
            problems.Add($"a receiver got delivery {stray}, which is no delivery row");
        }
        // Delivery is at-least-once (SPEC §1): an attempt whose run was cut between its POST and its record (its work
        // item seen again after the engine's visibility timeout, or its record lost) is sent again by the next run, one
        // after the other. Counted and reported (docs/storage-faults.md, defect 4), but only as a redelivery a receiver
        // can drop: the same webhook-id. Two runs of one delivery at once are a failure.
        var repeats = requests.GroupBy(r => (r.DeliveryId, r.Attempt)).Where(g => g.Count() > 1).ToList();
        foreach (var repeat in repeats.Where(g => g.Select(r => r.EventId).Distinct(StringComparer.Ordinal).Count() > 1))
        {
            problems.Add($"delivery {repeat.Key.DeliveryId} attempt {repeat.Key.Attempt} was sent again under another webhook-id: {string.Join(",", repeat.Select(r => r.EventId))}");
        }
        var doubled = repeats.Count;
        problems.AddRange(receivers.SelectMany(r => r.Overlaps));

        foreach (var job in jobs)
        {
            var rows = partitions[job.Plan.Id];
            if (!Ledger.CheckJob(job.Plan, rows, requests, problems))
            {
                continue;
            }
            var deliveries = Deliveries(rows);
            if (job.FanOut)
            {
                var endpoints = deliveries.Select(d => d.GetString("EndpointId") ?? "none").Order(StringComparer.Ordinal).ToList();
                if (!endpoints.SequenceEqual(endpointIds.Order(StringComparer.Ordinal)))
                {
                    problems.Add($"{job.Plan.Id}: deliveries to endpoints [{string.Join(",", endpoints)}], expected one to each of [{string.Join(",", endpointIds)}]");
                }
            }
            else if (job.Plan.Receiver == ReceiverBehaviour.AlwaysFail)
            {
                // The failed delivery and its replacement from the recover, which fails too; the first carries the mark.
                var marks = rows.Where(r => r.RowKey.StartsWith("recovered_", StringComparison.Ordinal)).Select(r => r.GetString("DeliveryId")).ToList();
                if (deliveries.Count != 2 || marks.Count != 1 || !deliveries.Any(d => d.GetString("DeliveryId") == marks[0]))
                {
                    problems.Add($"{job.Plan.Id}: {deliveries.Count} deliveries and recovered marks [{string.Join(",", marks)}], expected 2 and one mark on the first");
                }
            }
            foreach (var delivery in deliveries)
            {
                var id = delivery.GetString("DeliveryId");
                Ledger.CheckDelivery(job.Plan, delivery, rows, [.. requests.Where(r => r.DeliveryId == id)], MaxAttempts, problems);
            }
        }
        return doubled;
    }

    /// <summary>What a customer reads agrees with the table: the job's final state, and each delivery of its event with its attempts.</summary>
    private static async Task CheckApiAsync(HttpClient client, List<FaultJob> jobs, Dictionary<string, List<TableEntity>> partitions, List<string> problems)
    {
        foreach (var job in jobs.Select(j => j.Plan))
        {
            var jobJson = await (await client.GetAsync(job.Location)).AssertJsonAsync(HttpStatusCode.OK);
            if (jobJson.GetProperty("status").GetString() != job.ExpectedStatus)
            {
                problems.Add($"{job.Id}: GET answers {jobJson}");
            }
            var evt = await (await client.GetAsync($"/v1/events/{job.EventId}")).AssertJsonAsync(HttpStatusCode.OK);
            var rows = Deliveries(partitions[job.Id]).ToDictionary(d => d.GetString("DeliveryId"), StringComparer.Ordinal);
            var seen = evt.GetProperty("deliveries").EnumerateArray().ToList();
            if (seen.Count != rows.Count)
            {
                problems.Add($"{job.Id}: GET /v1/events/{job.EventId} shows {seen.Count} deliveries, the table {rows.Count}");
            }
            foreach (var delivery in seen)
            {
                var made = delivery.GetProperty("attempts_made").GetInt32();
                var attempts = delivery.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("attempt").GetString()).ToList();
                if (!rows.TryGetValue(delivery.GetProperty("id").GetString()!, out var row)
                    || delivery.GetProperty("status").GetString() != row.GetString("Status")
                    || made != row.GetInt32("AttemptsMade")
                    || !attempts.SequenceEqual(Enumerable.Range(1, made).Select(k => $"{k}/{MaxAttempts}")))
                {
                    problems.Add($"{job.Id}: the API's delivery {delivery} disagrees with the table");
                }
            }
        }
    }

    /// <summary>
    /// Endpoint health counts each attempt once: its attempts and failures equal the attempt rows of the endpoint's
    /// deliveries (the counts are flushed in the background, so this waits for them a while).
    /// </summary>
    private static async Task CheckHealthAsync(HttpClient client, List<string> endpointIds, Dictionary<string, List<TableEntity>> partitions, List<string> problems)
    {
        foreach (var id in endpointIds)
        {
            var attemptRows = partitions.Values.SelectMany(rows => Deliveries(rows)
                    .Where(d => d.GetString("EndpointId") == id)
                    .SelectMany(d => rows.Where(r => r.RowKey.StartsWith("attempt_" + d.GetString("DeliveryId") + "_", StringComparison.Ordinal))))
                .ToList();
            var failures = attemptRows.Count(a => a.GetString("Outcome") != "delivered");
            try
            {
                await ReliabilityKit.UntilAsync(async () => await (await client.GetAsync($"/v1/endpoints/{id}/health")).AssertJsonAsync(HttpStatusCode.OK),
                    h => h.GetProperty("attempts").GetInt32() == attemptRows.Count && h.GetProperty("failures").GetInt32() == failures,
                    TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(500),
                    h => $"{id}'s health to count {attemptRows.Count} attempts and {failures} failures: {h}");
            }
            catch (TimeoutException e)
            {
                problems.Add(e.Message);
            }
        }
    }
}
