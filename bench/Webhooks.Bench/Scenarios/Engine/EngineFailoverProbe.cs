using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using DurableTask.Core;
using Webhooks.Bench.Engine;
using Webhooks.Bench.Infrastructure;
using Webhooks.Bench.Worker;

namespace Webhooks.Bench.Scenarios.Engine;

/// <summary>
/// Two engine processes on one task hub: process A starts alone and takes every partition; B (this process) joins
/// and the partitions are rebalanced; A is killed with SIGKILL and B takes A's partitions when their leases expire.
/// Instances are started from B at a steady rate throughout: how long those that hash to A's partitions wait while
/// nobody owns them, and whether any runs twice or not at all. Ownership is read from the partition table with a
/// client of the probe's own (not counted).
/// </summary>
internal sealed class EngineFailoverProbe
{
    private const double StartsPerSecond = 4;
    private readonly WorkerInput _input;
    private readonly string _hub = "eng" + Webhooks.Functions.Ids.RandomString(8);
    private readonly TableClient _partitions;
    private readonly ConcurrentDictionary<string, Started> _instances = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _activityRuns = new(StringComparer.Ordinal);
    private readonly List<JsonNode> _timeline = [];
    private long _probeStart;

    private EngineFailoverProbe(WorkerInput input)
    {
        _input = input;
        _partitions = new TableServiceClient(input.AzuriteConnection).GetTableClient(_hub + "Partitions");
    }

    public static Task<JsonObject> RunAsync(WorkerInput input, CancellationToken cancellationToken) => new EngineFailoverProbe(input).RunAsync(cancellationToken);

    private async Task<JsonObject> RunAsync(CancellationToken cancellationToken)
    {
        var options = EngineSettings.BackendDefaults();
        options.PartitionCount = 4;
        options.MaxQueuePollingInterval = TimeSpan.FromSeconds(1);
        var workerA = "A-" + Webhooks.Functions.Ids.RandomString(4);
        var workerB = "B-" + Webhooks.Functions.Ids.RandomString(4);
        _probeStart = Clock.Now;
        var result = new JsonObject
        {
            ["settings"] = "4 partitions, 1 s max polling, LeaseInterval 30 s, LeaseRenewInterval 10 s, LeaseAcquireInterval 10 s (defaults), table partition manager",
        };

        WorkerHost.Progress("engine-behaviour: failover, process A alone");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (file, prefix) = SelfCommand.Get();
        await using var processA = ChildProcess.Start(file, [.. prefix, EngineHostProcess.Role, Environment.ProcessId.ToString(CultureInfo.InvariantCulture)],
            line => OnChildLine(line, ready), line => WorkerHost.Progress("  engine A: " + line), AppContext.BaseDirectory,
            new Dictionary<string, string> { [EngineHostProcess.OptionsVariable] = JsonSerializer.Serialize(new EngineHostOptions(_input.AzuriteConnection, _hub, workerA, options)) });
        await processA.WaitUntilReadyAsync(ready.Task, "Engine process A", TimeSpan.FromSeconds(60));
        result["a_owns_all_4_after_s"] = await WaitForOwnershipAsync(o => o.Count(p => p == workerA) == 4, TimeSpan.FromSeconds(60), cancellationToken);

        WorkerHost.Progress("engine-behaviour: failover, process B joins");
        var joinedAt = Clock.Now;
        var registrations = new DurableEngineRegistrations()
            .AddOrchestrator(CeilingOrchestrator.Name, () => new CeilingOrchestrator())
            .AddActivity(NoopActivity.Name, () => new NoopActivity(Ran));
        await using var engineB = await DurableEngine.StartAsync(
            EngineSettings.Build(_input.AzuriteConnection, _hub, options, workerId: workerB), registrations,
            decorate: service => new CheckpointObserver(service, (id, status, _) => Done(id, status, "B")));
        using var stopLoad = new CancellationTokenSource();
        var load = StartLoadAsync(engineB.Client, stopLoad.Token);
        result["balanced_2_2_after_b_joined_s"] = await WaitForOwnershipAsync(
            o => o.Count(p => p == workerA) == 2 && o.Count(p => p == workerB) == 2, TimeSpan.FromSeconds(90), cancellationToken, joinedAt);
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);

        WorkerHost.Progress("engine-behaviour: failover, SIGKILL to process A");
        var killedAt = Clock.Now;
        Mark("A killed");
        processA.Kill();
        result["b_owns_all_4_after_kill_s"] = await WaitForOwnershipAsync(o => o.Count(p => p == workerB) == 4, TimeSpan.FromSeconds(120), cancellationToken, killedAt);
        await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
        await stopLoad.CancelAsync();
        await load;
        // Stragglers: instances whose messages A had received stay invisible for the visibility timeout (5 min).
        var waitUntil = Clock.Now + (20 * System.Diagnostics.Stopwatch.Frequency);
        while (Clock.Now < waitUntil && _instances.Values.Any(i => i.DoneAt == 0))
        {
            await Task.Delay(250, cancellationToken);
        }

        var all = _instances.Values.ToList();
        var beforeKill = all.Where(i => i.StartedAt < killedAt).ToList();
        var afterKill = all.Where(i => i.StartedAt >= killedAt).ToList();
        JsonObject Summary(List<Started> instances) => new()
        {
            ["started"] = instances.Count,
            ["done_by_a"] = instances.Count(i => i.DoneBy == "A"),
            ["done_by_b"] = instances.Count(i => i.DoneBy == "B"),
            ["not_done_20_s_after_the_load"] = instances.Count(i => i.DoneAt == 0),
            ["start_to_done_ms"] = Percentiles.Summary(instances.Where(i => i.DoneAt != 0).Select(i => Clock.Milliseconds(i.StartedAt, i.DoneAt)), "ms"),
        };
        result["instances_started_before_the_kill"] = Summary(beforeKill);
        result["instances_started_after_the_kill"] = Summary(afterKill);
        result["activity_ran_more_than_once"] = _activityRuns.Count(p => p.Value > 1);
        result["partition_timeline"] = new JsonArray([.. _timeline]);
        return result;
    }

    private async Task StartLoadAsync(TaskHubClient client, CancellationToken cancellationToken)
    {
        var begin = Clock.Now;
        for (var i = 0; !cancellationToken.IsCancellationRequested; i++)
        {
            var due = begin + (long)(i / StartsPerSecond * System.Diagnostics.Stopwatch.Frequency);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, Clock.Milliseconds(Clock.Now, due))), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var id = _hub + "-" + i.ToString(CultureInfo.InvariantCulture);
            _instances[id] = new Started(Clock.Now);
            await client.CreateOrchestrationInstanceAsync(CeilingOrchestrator.Name, string.Empty, id, CeilingWorkload.Complete);
        }
    }

    private void OnChildLine(string line, TaskCompletionSource ready)
    {
        if (line == EngineHostProcess.ReadyLine)
        {
            ready.TrySetResult();
        }
        else if (line.StartsWith(EngineHostProcess.ActivityPrefix, StringComparison.Ordinal))
        {
            Ran(line[EngineHostProcess.ActivityPrefix.Length..].Split(" ")[0]);
        }
        else if (line.StartsWith(EngineHostProcess.DonePrefix, StringComparison.Ordinal))
        {
            var parts = line[EngineHostProcess.DonePrefix.Length..].Split(' ');
            Done(parts[0], Enum.Parse<OrchestrationStatus>(parts[1]), "A", long.Parse(parts[2], CultureInfo.InvariantCulture));
        }
    }

    private void Ran(string id) => _activityRuns.AddOrUpdate(id, 1, (_, n) => n + 1);

    private void Done(string id, OrchestrationStatus status, string process, long? at = null)
    {
        if (status == OrchestrationStatus.Completed && _instances.TryGetValue(id, out var instance) && instance.DoneAt == 0)
        {
            instance.DoneAt = at ?? Clock.Now;
            instance.DoneBy = process;
        }
    }

    /// <summary>Polls the partition table until <paramref name="condition"/> holds for the owners; seconds since <paramref name="from"/>.</summary>
    private async Task<double?> WaitForOwnershipAsync(Func<IReadOnlyList<string?>, bool> condition, TimeSpan timeout, CancellationToken cancellationToken, long? from = null)
    {
        var since = from ?? Clock.Now;
        string? last = null;
        while (Clock.SecondsSince(since) < timeout.TotalSeconds)
        {
            List<string?> owners;
            try
            {
                owners = [];
                await foreach (var lease in _partitions.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
                {
                    owners.Add(lease.GetString("CurrentOwner"));
                }
            }
            catch (Azure.RequestFailedException)
            {
                owners = [];
            }
            var described = string.Join(' ', owners.Select(o => o?.Split('-')[0] ?? "-"));
            if (described != last)
            {
                last = described;
                Mark("owners " + (owners.Count == 0 ? "(no partition table yet)" : described));
            }
            if (owners.Count == 4 && condition(owners))
            {
                return Math.Round(Clock.SecondsSince(since), 1);
            }
            await Task.Delay(200, cancellationToken);
        }
        return null;
    }

    private void Mark(string what)
    {
        lock (_timeline)
        {
            _timeline.Add(JsonValue.Create(string.Create(CultureInfo.InvariantCulture, $"+{Clock.SecondsSince(_probeStart):0.0} s {what}")));
        }
    }

    private sealed class Started(long startedAt)
    {
        public long StartedAt { get; } = startedAt;
        public long DoneAt;
        public string? DoneBy;
    }
}
