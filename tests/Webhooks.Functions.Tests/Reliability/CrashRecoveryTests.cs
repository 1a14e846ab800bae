using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Webhooks.Functions.Tests.Infrastructure;
using Xunit.Abstractions;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Reliability;

/// <summary>
/// SPEC §7 under <c>kill -9</c>: the app runs as a child process (Standalone mode) on the shared Azurite, about 200
/// jobs run against a local site with receivers of four behaviours, and the process is killed at four points and
/// restarted each time. Afterwards every job, event, delivery and attempt row is checked, through the API and the table.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int MaxAttempts = 4;

    /// <summary>
    /// Short enough for a test, and chosen with the code's own timings in mind. A control or work-item message the
    /// killed process had received comes back after <c>Durable:MessageVisibilityTimeout</c> (15 s); the partitions it
    /// owned are free once its leases lapse (6 s), and the restarted process, a new worker, takes them. In-flight job
    /// messages stay hidden for 5 min, so a lost chunk comes back through the stalled-job sweep, which runs when the
    /// process starts: a restart waits out <c>Jobs:StallTimeout</c> first. Phase 1's fetches are held by the site until
    /// the kill, so they must not time out first: with 10 s, on a loaded machine the first batches of the phase waited
    /// longer than that for the kill, and their items ended failed.
    /// </summary>
    private static readonly Dictionary<string, string> Settings = new(StringComparer.Ordinal)
    {
        ["Delivery:Policies:standard"] = "0s,1s,2s,3s",
        ["Delivery:AttemptTimeout"] = "00:00:04",
        ["Jobs:FetchTimeout"] = "00:05:00",
        ["Jobs:StallTimeout"] = "00:00:02",
        ["EventIndex:RepairInterval"] = "00:00:00",
        ["Durable:MessageVisibilityTimeout"] = "00:00:15",
        ["Durable:PartitionLeaseInterval"] = "00:00:06",
        ["EventIndex:RepairMinAge"] = "00:00:05",
        // A kill between a completion's commit and its start leaves the job's message hidden for 5 min: the sweeper
        // starts such a delivery once it is this old (2 min by default, longer than the settle deadline leaves).
        ["Delivery:UnstartedGrace"] = "00:00:20",
    };

    private static readonly TimeSpan RestartPause = TimeSpan.FromSeconds(2.5);

    /// <summary>
    /// Worst designed recovery after a kill is a message coming back and a partition changing hands (under 30 s here);
    /// the deadline leaves room for a loaded machine and for the stalled-job sweep as a second line.
    /// </summary>
    private static readonly TimeSpan SettleDeadline = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task KilledDuringWorkCompletionsAttemptsAndRetries_EveryJobEventAndDeliveryEndsOnceAndConsistent()
    {
        var clock = Stopwatch.StartNew();
        var azurite = await AzuriteProcess.Shared;
        var prefix = "r" + Guid.NewGuid().ToString("N")[..12];
        await using var site = await TestSite.StartAsync();
        var receivers = new Dictionary<ReceiverBehaviour, ScriptedReceiver>();
        foreach (var behaviour in Enum.GetValues<ReceiverBehaviour>())
        {
            receivers[behaviour] = await ScriptedReceiver.StartAsync(behaviour);
        }
        await using var app = await AppProcess.StartAsync(azurite.ConnectionString, prefix, Settings);
        var jobs = new List<PlannedJob>();
        var inProgressAtKill = new List<int>();
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(prefix + "jobs");
        try
        {
            // Kill 1, during job work: every fetch of phase 1 is held by the site when the process dies.
            var phase1 = await CreatePhaseAsync(app, site, receivers, phase: 1, batches: 62, crawls: 2, gate: "p1",
                i => (i % 10) switch { < 5 => ReceiverBehaviour.AlwaysOk, < 7 => ReceiverBehaviour.FailFirstTwo, < 8 => ReceiverBehaviour.AlwaysFail, _ => ReceiverBehaviour.Slow });
            jobs.AddRange(phase1);
            await ReliabilityKit.UntilAsync(() => site.Hits >= 40, TimeSpan.FromSeconds(30), () => $"phase 1 fetches in flight (site hits {site.Hits})");
            await app.KillAsync();
            inProgressAtKill.Add(await CountInProgressAsync(table));
            await RestartAsync(app);
            site.OpenGate("p1");

            // Kill 2, right after completions start: phase 2's fetches are released together and the process dies at
            // the first webhook of the phase, while the rest are committing their completion and starting deliveries.
            var phase2 = await CreatePhaseAsync(app, site, receivers, phase: 2, batches: 48, crawls: 2, gate: "p2",
                i => (i % 4) switch { 0 => ReceiverBehaviour.AlwaysOk, 1 => ReceiverBehaviour.Slow, 2 => ReceiverBehaviour.FailFirstTwo, _ => ReceiverBehaviour.AlwaysOk },
                failingCrawl: true);
            jobs.AddRange(phase2);
            var phase2Ids = phase2.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
            site.OpenGate("p2");
            await ReliabilityKit.UntilAsync(() => receivers.Values.Any(r => r.Requests.Any(q => q.DataId is { } id && phase2Ids.Contains(id))),
                TimeSpan.FromSeconds(30), () => "the first webhook of phase 2");
            await app.KillAsync();
            inProgressAtKill.Add(await CountInProgressAsync(table));
            await RestartAsync(app);

            // Kill 3, mid-attempt: slow receivers are holding attempts open when the process dies.
            var slow = receivers[ReceiverBehaviour.Slow];
            var phase3 = await CreatePhaseAsync(app, site, receivers, phase: 3, batches: 42, crawls: 1, gate: null,
                i => i % 3 == 0 ? ReceiverBehaviour.AlwaysOk : ReceiverBehaviour.Slow);
            jobs.AddRange(phase3);
            await ReliabilityKit.UntilAsync(() => slow.InFlight >= 3, TimeSpan.FromSeconds(30), () => $"3 slow attempts in flight (now {slow.InFlight})");
            await app.KillAsync();
            inProgressAtKill.Add(await CountInProgressAsync(table));
            await RestartAsync(app);

            // Kill 4, mid-retry: a second attempt of phase 4 has reached a receiver; attempts 3 and 4 are still to come.
            var phase4 = await CreatePhaseAsync(app, site, receivers, phase: 4, batches: 42, crawls: 1, gate: null,
                i => i % 2 == 0 ? ReceiverBehaviour.FailFirstTwo : ReceiverBehaviour.AlwaysFail);
            jobs.AddRange(phase4);
            var phase4Ids = phase4.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
            await ReliabilityKit.UntilAsync(
                () => receivers.Values.Any(r => r.Requests.Any(q => q.AttemptNumber == 2 && q.DataId is { } id && phase4Ids.Contains(id))),
                TimeSpan.FromSeconds(30), () => "a second attempt of phase 4");
            await app.KillAsync();
            inProgressAtKill.Add(await CountInProgressAsync(table));
            await RestartAsync(app);
            var lastRestart = clock.Elapsed;

            Dictionary<string, List<TableEntity>> rows;
            try
            {
                rows = await ReliabilityKit.UntilAsync(() => ReliabilityKit.PartitionsAsync(table), p => Unsettled(jobs, p) == 0,
                    SettleDeadline, TimeSpan.FromMilliseconds(500), p => $"{Unsettled(jobs, p)} jobs or deliveries to settle: {Describe(jobs, p)}\n{app.RecentOutput}");
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}\n--- the engine's view of each pending delivery ---\n{await DescribeOrchestrationsAsync(azurite, prefix, table)}", e);
            }
            var settledAfter = clock.Elapsed - lastRestart;

            var problems = new List<string>();
            CheckTable(jobs, rows, receivers, problems);
            await CheckApiAsync(app, jobs, rows, problems);
            using (var listingClient = app.Client())
            {
                await Ledger.CheckListingAsync(listingClient, jobs.Select(j => j.EventId), rows, problems);
            }
            Assert.True(problems.Count == 0, $"{problems.Count} problems:\n{string.Join('\n', problems.Take(40))}\n--- app output ---\n{app.RecentOutput}");

            var deliveries = rows.Values.Sum(r => r.Count(e => e.RowKey.StartsWith("delivery_", StringComparison.Ordinal)));
            var attempts = rows.Values.Sum(r => r.Count(e => e.RowKey.StartsWith("attempt_", StringComparison.Ordinal)));
            output.WriteLine($"jobs {jobs.Count} ({jobs.Count(j => j.Kind == "batch")} batches, {jobs.Count(j => j.Kind == "crawl")} crawls), " +
                $"events {jobs.Count}, deliveries {deliveries} ({jobs.Count(j => j.ShouldBeDelivered)} delivered, {jobs.Count(j => !j.ShouldBeDelivered)} failed), " +
                $"attempt rows {attempts}, webhook requests {receivers.Values.Sum(r => r.Requests.Count)}");
            output.WriteLine($"kills {app.Kills}, starts {app.Starts}, jobs in progress at each kill: {string.Join(", ", inProgressAtKill)}; " +
                $"settled {settledAfter.TotalSeconds:0}s after the last restart; total {clock.Elapsed.TotalSeconds:0}s");
        }
        finally
        {
            foreach (var receiver in receivers.Values)
            {
                await receiver.DisposeAsync();
            }
        }
    }

    private static async Task RestartAsync(AppProcess app)
    {
        // The stalled-job sweep runs as the process starts; jobs whose messages the dead process held must look stalled by then.
        await Task.Delay(RestartPause);
        await app.StartAsync();
    }

    private static async Task<List<PlannedJob>> CreatePhaseAsync(
        AppProcess app, TestSite site, Dictionary<ReceiverBehaviour, ScriptedReceiver> receivers, int phase, int batches, int crawls,
        string? gate, Func<int, ReceiverBehaviour> receiverFor, bool failingCrawl = false)
    {
        var hold = gate is null ? "" : "g=" + gate + "&";
        var requests = new List<(string Path, string Json, PlannedJob Plan)>();
        for (var i = 0; i < batches; i++)
        {
            var receiver = receiverFor(i);
            var items = new List<string>();
            var failed = 0;
            for (var j = 0; j < 1 + (i % 4); j++)
            {
                // Every seventh item is a 404: a failed item never fails its batch.
                var missing = (i + j) % 7 == 3;
                failed += missing ? 1 : 0;
                var url = missing ? site.Url($"/missing/p{phase}-{i}-{j}?{hold}d=10") : site.Url($"/b/p{phase}-{i}-{j}?{hold}d=20");
                items.Add(JsonSerializer.Serialize(new { url, custom_id = $"item-{j}" }));
            }
            var json = $"{{\"items\":[{string.Join(',', items)}],\"webhook\":{JsonSerializer.Serialize(receivers[receiver].Url)}}}";
            requests.Add(("/v1/batches", json, new PlannedJob("", "batch", phase, receiver, "completed", items.Count - failed, failed)));
        }
        for (var k = 0; k < crawls; k++)
        {
            var receiver = receiverFor(k + 1);
            // A 64-page binary tree; breadth-first under max_pages 6 fetches pages 0..5.
            var json = JsonSerializer.Serialize(new { start_url = site.Url($"/c/p{phase}k{k}/0?{hold}d=30"), max_pages = 6, webhook_url = receivers[receiver].Url });
            requests.Add(("/v1/crawls", json, new PlannedJob("", "crawl", phase, receiver, "completed", 6, 0)));
        }
        if (failingCrawl)
        {
            var json = JsonSerializer.Serialize(new { url = site.Url($"/forbidden/p{phase}"), maxPages = 5, webhookUrl = receivers[ReceiverBehaviour.AlwaysOk].Url });
            requests.Add(("/v1/web/crawl", json, new PlannedJob("", "crawl", phase, ReceiverBehaviour.AlwaysOk, "failed", 0, null)));
        }

        var created = new PlannedJob[requests.Count];
        using var client = app.Client();
        await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (n, ct) =>
        {
            var (path, json, plan) = requests[n];
            var job = await (await client.PostAsync(path, Json(json), ct)).AssertJsonAsync(HttpStatusCode.Created);
            created[n] = plan with { Id = job.GetProperty("id").GetString()! };
        });
        return [.. created];
    }

    private static async Task<int> CountInProgressAsync(TableClient table)
    {
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>("RowKey eq 'job' and Status eq 'in_progress'", select: ["Status"]))
        {
            count++;
        }
        return count;
    }

    /// <summary>Jobs not yet final plus deliveries not yet final (a job that has not raised its event counts once).</summary>
    /// <summary>
    /// For a failure message: each pending delivery's orchestration as the task hub records it (instance row, history
    /// events in order) and what waits in the control queues, so a stuck delivery can be told from a slow one.
    /// </summary>
    private static async Task<string> DescribeOrchestrationsAsync(AzuriteProcess azurite, string prefix, TableClient table)
    {
        var service = new TableServiceClient(azurite.ConnectionString);
        var instances = service.GetTableClient(prefix + "webhooksInstances");
        var history = service.GetTableClient(prefix + "webhooksHistory");
        var lines = new List<string>();
        await foreach (var delivery in table.QueryAsync<TableEntity>("Status eq 'pending'"))
        {
            var id = delivery.GetString("DeliveryId");
            var instance = await instances.GetEntityIfExistsAsync<TableEntity>(id, "");
            var events = new List<string>();
            await foreach (var e in history.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {id}")))
            {
                events.Add($"{e.RowKey}:{e.GetString("EventType")}{(e.GetInt32("TaskScheduledId") is { } t ? "#" + t : "")}{(e.GetInt32("TimerId") is { } timer ? "#" + timer : "")}");
            }
            lines.Add($"{id} attempts {delivery.GetInt32("AttemptsMade")} next {delivery.GetDateTimeOffset("NextAttemptAt"):O}; instance " +
                (instance.HasValue ? $"{instance.Value!.GetString("RuntimeStatus")} {instance.Value.GetString("CustomStatus")} updated {instance.Value.GetDateTimeOffset("LastUpdatedTime"):O}" : "none") +
                $"; history {string.Join(" ", events)}");
        }
        var queues = new Azure.Storage.Queues.QueueServiceClient(azurite.ConnectionString);
        for (var partition = 0; partition < 4; partition++)
        {
            var queue = queues.GetQueueClient($"{prefix}webhooks-control-{partition:D2}");
            var properties = await queue.GetPropertiesAsync();
            lines.Add($"control-{partition:D2}: {properties.Value.ApproximateMessagesCount} messages");
        }
        var workItems = await queues.GetQueueClient(prefix + "webhooks-workitems").GetPropertiesAsync();
        lines.Add($"workitems: {workItems.Value.ApproximateMessagesCount} messages");
        return string.Join('\n', lines);
    }

    /// <summary>What each unsettled job is waiting for, for a failure message.</summary>
    private static string Describe(List<PlannedJob> jobs, Dictionary<string, List<TableEntity>> partitions) => string.Join("; ", jobs
        .Select(job => (job, rows: partitions.GetValueOrDefault(job.Id) ?? []))
        .Where(j => j.rows.FirstOrDefault(r => r.RowKey == "job")?.GetString("Status") is null or "in_progress"
            || !j.rows.Any(r => r.RowKey.StartsWith("delivery_", StringComparison.Ordinal))
            || j.rows.Any(r => r.RowKey.StartsWith("delivery_", StringComparison.Ordinal) && r.GetString("Status") == "pending"))
        .Take(12)
        .Select(j => $"{j.job.Id} job={j.rows.FirstOrDefault(r => r.RowKey == "job")?.GetString("Status") ?? "none"} " + string.Join(",", j.rows
            .Where(r => r.RowKey.StartsWith("delivery_", StringComparison.Ordinal))
            .Select(r => $"{r.RowKey}:{r.GetString("Status")}:{r.GetInt32("AttemptsMade")}"))));

    private static int Unsettled(List<PlannedJob> jobs, Dictionary<string, List<TableEntity>> partitions)
    {
        var unsettled = 0;
        foreach (var job in jobs)
        {
            if (!partitions.TryGetValue(job.Id, out var rows))
            {
                unsettled++;
                continue;
            }
            var status = rows.FirstOrDefault(r => r.RowKey == "job")?.GetString("Status");
            var deliveries = rows.Where(r => r.RowKey.StartsWith("delivery_", StringComparison.Ordinal)).ToList();
            if (status == "in_progress" || deliveries.Count == 0 || deliveries.Any(d => d.GetString("Status") == "pending"))
            {
                unsettled++;
            }
        }
        return unsettled;
    }

    /// <summary>The table, row by row: counters match item rows, one event, one delivery, attempts 1..n without gaps.</summary>
    private static void CheckTable(
        List<PlannedJob> jobs, Dictionary<string, List<TableEntity>> partitions, Dictionary<ReceiverBehaviour, ScriptedReceiver> receivers, List<string> problems)
    {
        var requests = receivers.Values.SelectMany(r => r.Requests).ToList();
        var byEvent = requests.ToLookup(r => r.EventId, StringComparer.Ordinal);
        var known = jobs.Select(j => j.EventId).ToHashSet(StringComparer.Ordinal);
        foreach (var stray in requests.Where(r => !known.Contains(r.EventId)).Select(r => r.EventId).Distinct())
        {
            problems.Add($"a receiver got event id {stray}, which is no job's event");
        }

        foreach (var job in jobs)
        {
            var rows = partitions[job.Id];
            if (!Ledger.CheckJob(job, rows, requests, problems))
            {
                continue;
            }

            var deliveries = rows.Where(r => r.RowKey.StartsWith("delivery_", StringComparison.Ordinal)).ToList();
            if (deliveries.Count != 1)
            {
                problems.Add($"{job.Id}: {deliveries.Count} delivery rows, expected 1");
                continue;
            }
            Ledger.CheckDelivery(job, deliveries[0], rows, byEvent[job.EventId].ToList(), MaxAttempts, problems);
        }
    }

    /// <summary>What a customer sees: each job and its event through the API agree with the table.</summary>
    private static async Task CheckApiAsync(AppProcess app, List<PlannedJob> jobs, Dictionary<string, List<TableEntity>> partitions, List<string> problems)
    {
        using var client = app.Client();
        var found = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (job, ct) =>
        {
            var jobJson = await (await client.GetAsync(job.Location, ct)).AssertJsonAsync(HttpStatusCode.OK);
            var succeeded = jobJson.GetProperty(job.Kind == "batch" ? "items_completed" : "urls_count").GetInt32();
            if (jobJson.GetProperty("status").GetString() != job.ExpectedStatus || succeeded != job.ExpectedSucceeded)
            {
                found.Add($"{job.Id}: GET answers {jobJson}");
            }
            var evt = await (await client.GetAsync($"/v1/events/{job.EventId}", ct)).AssertJsonAsync(HttpStatusCode.OK);
            var row = partitions[job.Id].Single(r => r.RowKey.StartsWith("delivery_", StringComparison.Ordinal));
            var deliveries = evt.GetProperty("deliveries").EnumerateArray().ToList();
            if (evt.GetProperty("object").GetString() != job.EventType || evt.GetProperty("resource_id").GetString() != job.Id || deliveries.Count != 1)
            {
                found.Add($"{job.Id}: GET /v1/events/{job.EventId} answers {evt}");
                return;
            }
            var delivery = deliveries[0];
            var attempts = delivery.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("attempt").GetString()).ToList();
            var made = row.GetInt32("AttemptsMade") ?? 0;
            if (delivery.GetProperty("status").GetString() != row.GetString("Status")
                || delivery.GetProperty("attempt").GetString() != row.GetString("Attempt")
                || delivery.GetProperty("attempts_made").GetInt32() != made
                || !attempts.SequenceEqual(Enumerable.Range(1, made).Select(k => $"{k}/{MaxAttempts}")))
            {
                found.Add($"{job.Id}: the API's delivery {delivery} disagrees with the table ({row.GetString("Status")}, {row.GetString("Attempt")})");
            }
        });
        problems.AddRange(found);
    }
}
