using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Tests.Infrastructure;
using Xunit.Abstractions;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Reliability;

/// <summary>
/// ARCHITECTURE "Scale-out": two app processes (Standalone mode, child processes) on one Azurite and one
/// <c>Storage:Prefix</c>, so one task hub. Activities come off the task hub's one work-item queue, whichever process
/// polls it; orchestrations live in its control queues (partitions), each owned by one process at a time through a
/// lease in the task hub's Partitions table. Which process made an attempt is read from each process's own log line
/// for it (category <c>Webhooks.Functions.Delivery.DeliveryAttemptActivity</c>, Information, written only after the
/// attempt row was committed).
/// </summary>
public sealed partial class ScaleOutTests(ITestOutputHelper output)
{
    private const int SharedBatches = 40;

    /// <summary>Six orchestrations per partition on average: enough that the victim's partitions hold some, and fewer to wait for on a busy machine.</summary>
    private const int KillBatches = 24;
    private const int PartitionCount = 4;
    private const string AttemptCategory = "Webhooks.Functions.Delivery.DeliveryAttemptActivity";

    /// <summary>
    /// Leases renewed every 2 s and lasting 8 s: a killed process's partitions are free at most 8 s after its last
    /// renewal and claimed within one more pass (the backend's defaults, 30 s and 10 s, would make that up to 40 s).
    /// </summary>
    private static readonly Dictionary<string, string> Common = new(StringComparer.Ordinal)
    {
        ["Durable:PartitionLeaseInterval"] = "00:00:06",
        ["Logging:LogLevel:" + AttemptCategory] = "Information",
        ["Logging:Console:FormatterName"] = "simple",
        ["Logging:Console:FormatterOptions:SingleLine"] = "true",
    };

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SettleDeadline = TimeSpan.FromSeconds(90);

    /// <summary>Longer than <see cref="SettleDeadline"/>, the longest the kill test waits for its held first attempts: none of them times out.</summary>
    private const string HeldAttemptTimeout = "00:02:00";

    [Fact]
    public async Task TwoProcessesOnOneTaskHub_ShareTheDeliveries_EveryAttemptSentAloneAndRecordedOnce()
    {
        var clock = Stopwatch.StartNew();
        var azurite = await AzuriteProcess.Shared;
        var prefix = "s" + Guid.NewGuid().ToString("N")[..12];
        await using var site = await TestSite.StartAsync();
        var behaviours = new[] { ReceiverBehaviour.AlwaysOk, ReceiverBehaviour.Slow, ReceiverBehaviour.FailFirstTwo, ReceiverBehaviour.AlwaysFail };
        var receivers = new Dictionary<ReceiverBehaviour, ScriptedReceiver>();
        try
        {
            foreach (var behaviour in behaviours)
            {
                receivers[behaviour] = await ScriptedReceiver.StartAsync(behaviour);
            }
            var apps = await StartTwoAsync(azurite.ConnectionString, prefix, "0s,1s,1s");
            await using var a = apps[0];
            await using var b = apps[1];
            var started = clock.Elapsed;
            await WaitForBothToOwnPartitionsAsync(azurite, prefix, a, b);
            var balanced = clock.Elapsed;

            // Created through both APIs; the jobs themselves are worked by whichever process takes their messages.
            var jobs = await CreateBatchesAsync([a, b], site, SharedBatches, i => receivers[behaviours[i % behaviours.Length]]);
            var created = clock.Elapsed;
            var rows = await WaitUntilSettledAsync(azurite, prefix, jobs, a, b);
            var settled = clock.Elapsed;

            var problems = new List<string>();
            var attemptsByProcess = LoggedAttempts(a, b);
            CheckDeliveries(jobs, rows, receivers.Values, problems);
            CheckLoggedOnce(rows, attemptsByProcess, problems, everyRowLogged: true);
            if (attemptsByProcess.Values.Any(attempts => attempts.Count == 0))
            {
                problems.Add($"attempts per process: {string.Join(", ", attemptsByProcess.Select(p => $"pid {p.Key} {p.Value.Count}"))}; both must have made some");
            }
            Assert.True(problems.Count == 0, Report(problems, a, b));

            output.WriteLine($"{jobs.Count} batches, {AttemptRows(rows).Count()} attempts: " +
                string.Join(", ", attemptsByProcess.Select(p => $"pid {p.Key} made {p.Value.Count}")) +
                $"; already-recorded re-runs: {AlreadyRecorded(a, b)}");
            output.WriteLine($"started {started.TotalSeconds:0.0}s, partitions shared {balanced.TotalSeconds:0.0}s, batches created {created.TotalSeconds:0.0}s, settled {settled.TotalSeconds:0.0}s");
        }
        finally
        {
            foreach (var receiver in receivers.Values)
            {
                await receiver.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Every delivery has failed its first attempt and waits on a durable timer when one process dies the hard way.
    /// Waiting, not mid-step, is the state the kill targets: a queue message the victim had dequeued would stay
    /// invisible for the backend's 5-minute visibility timeout, which this test cannot wait out. So the receiver holds
    /// every first attempt until all have arrived and fails them together: their retries fall due together, 20 s later,
    /// and the kill comes once every orchestration has created its timer (5-12 s after they failed, on a busy machine).
    /// </summary>
    [Fact]
    public async Task OneOfTwoProcessesKilledWhileRetriesWait_SurvivorTakesItsPartitions_EveryDeliveryDeliveredOnce()
    {
        var clock = Stopwatch.StartNew();
        var azurite = await AzuriteProcess.Shared;
        var prefix = "s" + Guid.NewGuid().ToString("N")[..12];
        await using var site = await TestSite.StartAsync();
        await using var receiver = await ScriptedReceiver.StartAsync(ReceiverBehaviour.FailFirstTwo, held: true);
        var apps = await StartTwoAsync(azurite.ConnectionString, prefix, "0s,20s,1s", new() { ["Delivery:AttemptTimeout"] = HeldAttemptTimeout });
        await using var survivor = apps[0];
        await using var victim = apps[1];
        var started = clock.Elapsed;
        await WaitForBothToOwnPartitionsAsync(azurite, prefix, survivor, victim);
        var balanced = clock.Elapsed;

        var jobs = await CreateBatchesAsync([survivor, victim], site, KillBatches, _ => receiver);
        var created = clock.Elapsed;
        await ReliabilityKit.UntilAsync(() => receiver.InFlight >= jobs.Count, SettleDeadline,
            () => $"all {jobs.Count} first attempts to reach the receiver; {receiver.InFlight} have\n{Report([], survivor, victim)}");
        receiver.Release();
        var waiting = await ReliabilityKit.UntilAsync(
            () => WaitingOnRetryAsync(azurite, prefix, jobs), w => w.Count == jobs.Count, SettleDeadline, TimeSpan.FromMilliseconds(250),
            w => $"all {jobs.Count} deliveries to fail attempt 1 and wait on their timer; {w.Count} do\n{Report([], survivor, victim)}");
        var victimPartitions = await OwnedPartitionsAsync(azurite, prefix, victim);
        Assert.True(victimPartitions.Count > 0, $"the process to kill owns no partition, so nothing would move\n{Report([], survivor, victim)}");
        var firstRetryDue = waiting.Min(d => d.GetDateTimeOffset("NextAttemptAt")) ?? DateTimeOffset.MinValue;
        await victim.KillAsync();
        var killedAt = clock.Elapsed;
        var dueAfterKill = firstRetryDue - TimeProvider.System.GetUtcNow();

        var rows = await WaitUntilSettledAsync(azurite, prefix, jobs, survivor, victim,
            $"(the first retry was due {dueAfterKill.TotalSeconds:0.0}s after the kill; one due before it may have been taken by the victim)");
        var settled = clock.Elapsed;

        var problems = new List<string>();
        var attemptsByProcess = LoggedAttempts(survivor, victim);
        CheckDeliveries(jobs, rows, [receiver], problems);
        CheckLoggedOnce(rows, attemptsByProcess, problems, everyRowLogged: false);
        var survivorAttempts = attemptsByProcess[survivor.ProcessId].ToHashSet();
        var retriedElsewhere = AttemptRows(rows).Where(r => r.AttemptNumber > 1 && !survivorAttempts.Contains((r.DeliveryId, r.Attempt))).ToList();
        if (retriedElsewhere.Count > 0)
        {
            problems.Add($"{retriedElsewhere.Count} attempts after the kill were not made by the survivor, e.g. {retriedElsewhere[0]}");
        }
        var owners = await PartitionOwnersAsync(azurite, prefix);
        if (owners.Count != PartitionCount || owners.Values.Any(o => o != WorkerId(survivor)))
        {
            problems.Add($"partition owners after the kill: {string.Join(", ", owners.Select(o => $"{o.Key}={o.Value}"))}; expected all {WorkerId(survivor)}");
        }
        Assert.True(problems.Count == 0, Report(problems, survivor, victim));

        output.WriteLine($"{waiting.Count} deliveries waiting on timers, the first due {dueAfterKill.TotalSeconds:0.0}s later, when pid {victim.ProcessId} was killed owning " +
            $"{string.Join(",", victimPartitions)}; survivor pid {survivor.ProcessId} made {attemptsByProcess[survivor.ProcessId].Count} of " +
            $"{AttemptRows(rows).Count()} attempts; already-recorded re-runs: {AlreadyRecorded(survivor, victim)}");
        output.WriteLine($"started {started.TotalSeconds:0.0}s, partitions shared {balanced.TotalSeconds:0.0}s, batches created {created.TotalSeconds:0.0}s, " +
            $"killed {killedAt.TotalSeconds:0.0}s, all delivered {(settled - killedAt).TotalSeconds:0.0}s later; total {settled.TotalSeconds:0.0}s");
    }

    /// <summary>Both processes at once, as a scaled-out app starts; neither is left running if the other fails to start.</summary>
    private static async Task<AppProcess[]> StartTwoAsync(string connectionString, string prefix, string policy, Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>(Common, StringComparer.Ordinal) { ["Delivery:Policies:standard"] = policy };
        foreach (var (key, value) in more ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }
        var starts = Enumerable.Range(0, 2)
            .Select(_ => AppProcess.StartAsync(connectionString, prefix, settings, line => line.Contains(AttemptCategory, StringComparison.Ordinal)))
            .ToArray();
        try
        {
            return await Task.WhenAll(starts);
        }
        catch
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync();
            }
            throw;
        }
    }

    /// <summary>The Durable worker id of a process, as <c>StandaloneDurableEngine</c> names it and the Partitions table shows it.</summary>
    private static string WorkerId(AppProcess app) => $"{Environment.MachineName}-{app.ProcessId}";

    private static TableClient Table(AzuriteProcess azurite, string name) => new TableServiceClient(azurite.ConnectionString).GetTableClient(name);

    /// <summary>Partition (control queue) → its current owner, from the task hub's Partitions table; a partition changing hands shows as "(moving)".</summary>
    private static async Task<Dictionary<string, string>> PartitionOwnersAsync(AzuriteProcess azurite, string prefix)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var row in Table(azurite, prefix + "webhooksPartitions").QueryAsync<TableEntity>())
        {
            var moving = !string.IsNullOrEmpty(row.GetString("NextOwner")) || row.GetBoolean("IsDraining") == true;
            owners[row.RowKey] = moving ? "(moving)" : row.GetString("CurrentOwner") ?? "(none)";
        }
        return owners;
    }

    private static async Task<List<string>> OwnedPartitionsAsync(AzuriteProcess azurite, string prefix, AppProcess app) =>
        [.. (await PartitionOwnersAsync(azurite, prefix)).Where(o => o.Value == WorkerId(app)).Select(o => o.Key).Order(StringComparer.Ordinal)];

    /// <summary>The starting processes race for the partitions and then balance them; work starts once both own some and none is moving.</summary>
    private static async Task WaitForBothToOwnPartitionsAsync(AzuriteProcess azurite, string prefix, AppProcess a, AppProcess b) =>
        await ReliabilityKit.UntilAsync(() => PartitionOwnersAsync(azurite, prefix),
            o => o.Count == PartitionCount && o.Values.All(v => v == WorkerId(a) || v == WorkerId(b)) && o.ContainsValue(WorkerId(a)) && o.ContainsValue(WorkerId(b)),
            StartDeadline, TimeSpan.FromMilliseconds(250),
            o => $"both processes ({WorkerId(a)}, {WorkerId(b)}) to own partitions; owners: {string.Join(", ", o.Select(p => $"{p.Key}={p.Value}"))}");

    /// <summary>Batches of 1-3 pages of the local site, the i-th one's webhook at <paramref name="receiverFor"/>(i), created through each app in turn.</summary>
    private static async Task<List<PlannedJob>> CreateBatchesAsync(AppProcess[] apps, TestSite site, int count, Func<int, ScriptedReceiver> receiverFor)
    {
        var clients = apps.Select(app => app.Client()).ToArray();
        try
        {
            var created = new PlannedJob[count];
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            {
                var receiver = receiverFor(i);
                var items = Enumerable.Range(0, 1 + (i % 3))
                    .Select(j => new { url = site.Url($"/b/scale-{i}-{j}?d=20"), custom_id = $"item-{j}" })
                    .ToList();
                var json = JsonSerializer.Serialize(new { items, webhook = receiver.Url });
                var job = await (await clients[i % clients.Length].PostAsync("/v1/batches", Json(json), ct)).AssertJsonAsync(HttpStatusCode.Created);
                created[i] = new PlannedJob(job.GetProperty("id").GetString()!, "batch", 1, receiver.Behaviour, "completed", items.Count, 0);
            });
            return [.. created];
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>Every job's partition of the jobs table, once every job has a delivery and no delivery is pending.</summary>
    private static async Task<Dictionary<string, List<TableEntity>>> WaitUntilSettledAsync(
        AzuriteProcess azurite, string prefix, List<PlannedJob> jobs, AppProcess a, AppProcess b, string note = "")
    {
        await ReliabilityKit.UntilAsync(() => DeliveryRowsAsync(azurite, prefix), d => Unsettled(jobs, d) == 0,
            SettleDeadline, TimeSpan.FromMilliseconds(500),
            // The unsettled ones last: a CI log keeps only the tail of a long message.
            d => $"{Unsettled(jobs, d)} of {jobs.Count} deliveries to end {note}\n{Report([], a, b)}\n--- unsettled ---\n{DescribeUnsettled(jobs, d)}");
        return await ReliabilityKit.PartitionsAsync(Table(azurite, prefix + StorageNames.JobsTable));
    }

    /// <summary>Each unsettled job: no delivery row yet (its job did not complete), or its pending delivery's <c>"k/n"</c> and next attempt time.</summary>
    private static string DescribeUnsettled(List<PlannedJob> jobs, List<TableEntity> deliveries)
    {
        var byJob = deliveries.ToLookup(d => d.PartitionKey, StringComparer.Ordinal);
        return string.Join('\n', jobs
            .Where(job => !byJob[job.Id].Any() || byJob[job.Id].Any(d => d.GetString("Status") == "pending"))
            .Select(job => $"{job.Id} ({job.Receiver}): " + (byJob[job.Id].Any()
                ? string.Join(", ", byJob[job.Id].Select(d => $"{d.GetString("DeliveryId")} {d.GetString("Status")} {d.GetString("Attempt")} next {d.GetDateTimeOffset("NextAttemptAt"):HH:mm:ss.fff}"))
                : "no delivery row")));
    }

    private static int Unsettled(List<PlannedJob> jobs, List<TableEntity> deliveries)
    {
        var byJob = deliveries.ToLookup(d => d.PartitionKey, StringComparer.Ordinal);
        return jobs.Count(job => !byJob[job.Id].Any() || byJob[job.Id].Any(d => d.GetString("Status") == "pending"));
    }

    /// <summary>The delivery rows of the jobs table only: polled while the processes work, so it reads no more than it needs.</summary>
    private static async Task<List<TableEntity>> DeliveryRowsAsync(AzuriteProcess azurite, string prefix)
    {
        var rows = new List<TableEntity>();
        // '`' follows '_': the range is every row key that starts with "delivery_".
        await foreach (var row in Table(azurite, prefix + StorageNames.JobsTable).QueryAsync<TableEntity>("RowKey ge 'delivery_' and RowKey lt 'delivery`'"))
        {
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>
    /// Deliveries whose first attempt is recorded and whose orchestration has created the timer for the second, so
    /// that neither process holds any step of them: the next thing to happen to each is its timer firing.
    /// </summary>
    private static async Task<List<TableEntity>> WaitingOnRetryAsync(AzuriteProcess azurite, string prefix, List<PlannedJob> jobs)
    {
        var onTimer = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in Table(azurite, prefix + "webhooksHistory").QueryAsync<TableEntity>("EventType eq 'TimerCreated'", select: ["PartitionKey"]))
        {
            onTimer.Add(row.PartitionKey);
        }
        var jobIds = jobs.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
        return [.. (await DeliveryRowsAsync(azurite, prefix))
            .Where(r => jobIds.Contains(r.PartitionKey) && r.GetString("Status") == "pending" && r.GetInt32("AttemptsMade") == 1 && onTimer.Contains(r.GetString("DeliveryId")))];
    }

    /// <summary>Outcomes a delivery's attempts must have, in order, given its receiver (3 attempts at most).</summary>
    private static string[] ExpectedOutcomes(ReceiverBehaviour behaviour) => behaviour switch
    {
        ReceiverBehaviour.FailFirstTwo => ["http_error", "http_error", "delivered"],
        ReceiverBehaviour.AlwaysFail => ["http_error", "http_error", "http_error"],
        _ => ["delivered"],
    };

    /// <summary>
    /// Each job has one delivery whose row and attempt rows are what its receiver's behaviour implies, and whose
    /// receiver got each of those attempts exactly once, never two of them at the same time.
    /// </summary>
    private static void CheckDeliveries(
        List<PlannedJob> jobs, Dictionary<string, List<TableEntity>> partitions, IEnumerable<ScriptedReceiver> receivers, List<string> problems)
    {
        var received = receivers.SelectMany(r => r.Requests).ToLookup(r => r.DeliveryId, StringComparer.Ordinal);
        foreach (var overlap in receivers.SelectMany(r => r.Overlaps))
        {
            problems.Add("sent twice at the same time: " + overlap);
        }
        foreach (var job in jobs)
        {
            var rows = partitions[job.Id];
            var deliveries = rows.Where(r => r.RowKey.StartsWith("delivery_", StringComparison.Ordinal)).ToList();
            if (deliveries.Count != 1)
            {
                problems.Add($"{job.Id}: {deliveries.Count} delivery rows, expected 1");
                continue;
            }
            var delivery = deliveries[0];
            var deliveryId = delivery.GetString("DeliveryId");
            var expected = ExpectedOutcomes(job.Receiver);
            var expectedAttempts = Enumerable.Range(1, expected.Length).Select(k => $"{k}/3").ToList();
            var status = expected[^1] == "delivered" ? "delivered" : "failed";
            if (delivery.GetString("Status") != status || delivery.GetString("Attempt") != $"{expected.Length}/3" || delivery.GetInt32("AttemptsMade") != expected.Length)
            {
                problems.Add($"{job.Id} {deliveryId}: delivery {delivery.GetString("Status")} at {delivery.GetString("Attempt")} " +
                    $"(AttemptsMade {delivery.GetInt32("AttemptsMade")}), expected {status} at {expected.Length}/3");
            }
            var attempts = rows.Where(r => r.RowKey.StartsWith("attempt_" + deliveryId + "_", StringComparison.Ordinal))
                .OrderBy(r => r.GetInt32("AttemptNumber")).ToList();
            var recorded = attempts.Select(r => $"{r.GetString("Attempt")} {r.GetString("Outcome")}").ToList();
            var wanted = expectedAttempts.Zip(expected, (attempt, outcome) => $"{attempt} {outcome}").ToList();
            if (!recorded.SequenceEqual(wanted))
            {
                problems.Add($"{job.Id} {deliveryId}: attempt rows [{string.Join(", ", recorded)}], expected [{string.Join(", ", wanted)}]");
            }
            var sent = received[deliveryId].Select(r => r.Attempt).Order(StringComparer.Ordinal).ToList();
            if (!sent.SequenceEqual(expectedAttempts))
            {
                problems.Add($"{job.Id} {deliveryId}: its receiver got attempts [{string.Join(", ", sent)}], expected each of [{string.Join(", ", expectedAttempts)}] once");
            }
            if (received[deliveryId].Any(r => r.DataId != job.Id))
            {
                problems.Add($"{job.Id} {deliveryId}: a request of this delivery carried another job's data");
            }
        }
    }

    private static IEnumerable<(string DeliveryId, string Attempt, int AttemptNumber)> AttemptRows(Dictionary<string, List<TableEntity>> partitions) =>
        partitions.Values.SelectMany(rows => rows)
            .Where(r => r.RowKey.StartsWith("attempt_", StringComparison.Ordinal))
            .Select(r => (r.GetString("DeliveryId"), r.GetString("Attempt"), r.GetInt32("AttemptNumber") ?? 0));

    /// <summary>Process id → the (delivery id, "k/n") of every attempt it logged as recorded.</summary>
    private static Dictionary<int, List<(string DeliveryId, string Attempt)>> LoggedAttempts(params AppProcess[] apps) =>
        apps.ToDictionary(app => app.ProcessId, app => app.CapturedLines
            .Select(line => AttemptLine().Match(line))
            .Where(m => m.Success)
            .Select(m => (m.Groups["delivery"].Value, m.Groups["attempt"].Value))
            .ToList());

    /// <summary>
    /// No attempt was logged as recorded twice (by one process or by both), and nothing was logged that has no row.
    /// With <paramref name="everyRowLogged"/>, every row was logged too; a killed process may lose its last lines with it.
    /// </summary>
    private static void CheckLoggedOnce(
        Dictionary<string, List<TableEntity>> partitions, Dictionary<int, List<(string DeliveryId, string Attempt)>> byProcess, List<string> problems,
        bool everyRowLogged)
    {
        var rows = AttemptRows(partitions).Select(r => (r.DeliveryId, r.Attempt)).ToHashSet();
        var logged = byProcess.SelectMany(p => p.Value.Select(attempt => (Process: p.Key, Attempt: attempt))).ToList();
        foreach (var twice in logged.GroupBy(l => l.Attempt).Where(g => g.Count() > 1))
        {
            problems.Add($"delivery {twice.Key.DeliveryId} attempt {twice.Key.Attempt} recorded {twice.Count()} times, by pids {string.Join(", ", twice.Select(l => l.Process))}");
        }
        foreach (var stray in logged.Where(l => !rows.Contains(l.Attempt)))
        {
            problems.Add($"pid {stray.Process} logged delivery {stray.Attempt.DeliveryId} attempt {stray.Attempt.Attempt}, which has no attempt row");
        }
        if (everyRowLogged)
        {
            var unlogged = rows.Except(logged.Select(l => l.Attempt)).ToList();
            if (unlogged.Count > 0)
            {
                problems.Add($"{unlogged.Count} attempt rows were logged by no process, e.g. {unlogged[0]}");
            }
        }
    }

    private static int AlreadyRecorded(params AppProcess[] apps) =>
        apps.Sum(app => app.CapturedLines.Count(line => line.Contains("was already recorded by another run", StringComparison.Ordinal)));

    private static string Report(List<string> problems, AppProcess a, AppProcess b) =>
        $"{problems.Count} problems:\n{string.Join('\n', problems.Take(40))}\n" +
        $"--- pid {a.ProcessId} ---\n{a.RecentOutput}\n--- pid {b.ProcessId} ---\n{b.RecentOutput}";

    /// <summary><c>DeliveryAttemptActivity</c>'s line for a recorded attempt, single-line console format.</summary>
    [GeneratedRegex(@"DeliveryAttemptActivity\[-?\d+\] Event \S+ delivery (?<delivery>\S+) attempt (?<attempt>\d+/\d+): ")]
    private static partial Regex AttemptLine();
}
