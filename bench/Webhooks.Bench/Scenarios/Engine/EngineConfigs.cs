using DurableTask.AzureStorage;
using Webhooks.Bench.Engine;
using Webhooks.Functions.Hosting.Durable;

namespace Webhooks.Bench.Scenarios.Engine;

/// <summary>
/// The configurations the engine-ceiling scenario knows, by name. Each changes one thing from the engine's defaults,
/// except <see cref="Recommended"/> (the combination the measurements support, docs/durable-engine.md) and its variants.
/// </summary>
internal static class EngineConfigs
{
    public const string Defaults = "defaults";
    public const string Recommended = "recommended";

    /// <summary>The product's own settings and start: the yardstick the throughput scenario measures the delivery path against.</summary>
    public const string Product = "product";

    /// <summary>What <c>--only engine</c> runs: the ceiling on the product's settings, the engine's defaults and the recommended settings.</summary>
    public static readonly string[] Standard = [Product, Defaults, Recommended];

    public static readonly IReadOnlyList<EngineConfig> All =
    [
        new(Product, "the product's Durable options (DurableOptions' defaults, as the app runs) and its start: an ExecutionStarted message " +
            "whose execution id is the instance id, no start dedupe read")
        {
            Options = () => new DurableOptions(),
            StartWithMessage = true,
            StartDeduplicationRead = false,
        },
        new(Defaults, "the backend's defaults: 4 partitions, 30 s max polling, no extended sessions, 100 orchestrations / 10 activities at once"),
        new("partitions-1", "PartitionCount 1") { Options = () => Backend(o => o.PartitionCount = 1) },
        new("partitions-2", "PartitionCount 2") { Options = () => Backend(o => o.PartitionCount = 2) },
        new("poll-1s", "MaxQueuePollingInterval 1 s") { Options = () => Backend(o => o.MaxQueuePollingInterval = TimeSpan.FromSeconds(1)) },
        new("extended-sessions", "ExtendedSessionsEnabled") { Options = () => Backend(o => o.ExtendedSessions = true) },
        new("activities-100", "MaxConcurrentTaskActivityWorkItems 100") { Options = () => Backend(o => o.MaxConcurrentActivities = 100) },
        new("orchestrations-16", "MaxConcurrentTaskOrchestrationWorkItems 16") { Options = () => Backend(o => o.MaxConcurrentOrchestrations = 16) },
        new("control-batch-8", "ControlQueueBatchSize 8") { Tune = s => s.ControlQueueBatchSize = 8 },
        new("buffer-256", "ControlQueueBufferThreshold 256 (default 64: the dequeue loop pauses 1 s while 64 control messages are in memory)")
        {
            Tune = s => s.ControlQueueBufferThreshold = 256,
        },
        new("no-start-dedupe", "DisableExecutionStartedDeduplication") { Tune = NoStartDedupe },
        new("dedupe-statuses", "starts pass dedupeStatuses (every status)") { DedupeStatuses = true },
        new("start-message", "DisableExecutionStartedDeduplication + starts sent as a bare ExecutionStarted message (no Instances read or insert)")
        {
            Tune = NoStartDedupe,
            StartWithMessage = true,
        },
        new("instance-etag", "UseInstanceTableEtag") { Tune = s => s.UseInstanceTableEtag = true },
        new("legacy-partitions", "UseLegacyPartitionManagement (blob leases)")
        {
            Tune = s => { s.UseTablePartitionManagement = false; s.UseLegacyPartitionManagement = true; },
        },
        new("blob-partitions", "UseTablePartitionManagement false (the 'safe' blob-lease manager)") { Tune = s => s.UseTablePartitionManagement = false },
        new("no-app-lease", "UseAppLease false") { Tune = s => s.UseAppLease = false },
        new("fetch-large-off", "FetchLargeMessageDataEnabled false") { Tune = s => s.FetchLargeMessageDataEnabled = false },
        new("separate-entity-queue", "UseSeparateQueueForEntityWorkItems") { Tune = s => s.UseSeparateQueueForEntityWorkItems = true },
        new("replay-terminal", "AllowReplayingTerminalInstances") { Tune = s => s.AllowReplayingTerminalInstances = true },
        new("storage-concurrency-200", "MaxStorageOperationConcurrency 200 (default: 25 × cores = 50 here)") { Tune = s => s.MaxStorageOperationConcurrency = 200 },
        new("wait", "defaults; the instance stays: one activity, then a durable timer of an hour") { Workload = CeilingWorkload.Wait },
        new("extended-sessions-wait", "ExtendedSessionsEnabled; the instance stays on a durable timer (its session holds a slot until it idles out)")
        {
            Options = () => Backend(o => o.ExtendedSessions = true),
            Workload = CeilingWorkload.Wait,
        },
        new("retry", "defaults; one activity, a 1 s durable timer, a second activity") { Workload = CeilingWorkload.Retry },
        new(Recommended, "1 partition, 1 s max polling, extended sessions (10 s idle), 256 orchestrations / 100 activities at once, " +
            "no start dedupe read, starts sent as ExecutionStarted messages")
        {
            Options = RecommendedOptions,
            Tune = NoStartDedupe,
            StartWithMessage = true,
        },
        new("recommended-2p", "recommended with 2 partitions")
        {
            Options = () => RecommendedWith(o => o.PartitionCount = 2), Tune = NoStartDedupe, StartWithMessage = true,
        },
        new("recommended-4p", "recommended with 4 partitions")
        {
            Options = () => RecommendedWith(o => o.PartitionCount = 4), Tune = NoStartDedupe, StartWithMessage = true,
        },
        new("recommended-create", "recommended, but what host.json can say: starts by TaskHubClient with dedupeStatuses, start dedupe read on")
        {
            Options = RecommendedOptions,
            DedupeStatuses = true,
        },
        new("recommended-wait", "recommended; the instance stays on a durable timer") { Options = RecommendedOptions, Tune = NoStartDedupe, StartWithMessage = true, Workload = CeilingWorkload.Wait },
        new("recommended-retry", "recommended; a 1 s timer and a second activity") { Options = RecommendedOptions, Tune = NoStartDedupe, StartWithMessage = true, Workload = CeilingWorkload.Retry },
    ];

    /// <summary>What an idle worker polls, and what a waiting instance keeps in memory: for the engine-behaviour scenario.</summary>
    public static readonly IReadOnlyList<EngineConfig> Idle =
    [
        new("defaults-idle", "defaults, then 90 s idle") { IdleSeconds = 90 },
        new("recommended-wait-idle", "recommended; the instances stay on a durable timer; then 40 s idle")
        {
            Options = RecommendedOptions,
            Tune = NoStartDedupe,
            StartWithMessage = true,
            Workload = CeilingWorkload.Wait,
            IdleSeconds = 40,
        },
    ];

    public static EngineConfig Named(string name) =>
        All.Concat(Idle).FirstOrDefault(c => c.Name == name)
        ?? throw new ArgumentException($"Unknown engine configuration {name}; known: {string.Join(", ", All.Select(c => c.Name))}.");

    /// <summary>The recommended options (docs/durable-engine.md says why each), with <see cref="NoStartDedupe"/> beside them.</summary>
    public static DurableOptions RecommendedOptions() => RecommendedWith(_ => { });

    private static DurableOptions RecommendedWith(Action<DurableOptions> change) => Backend(o =>
    {
        o.PartitionCount = 1;
        o.MaxQueuePollingInterval = TimeSpan.FromSeconds(1);
        o.ExtendedSessions = true;
        o.ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(10);
        o.MaxConcurrentOrchestrations = 256;
        o.MaxConcurrentActivities = 100;
        change(o);
    });

    private static DurableOptions Backend(Action<DurableOptions> change)
    {
        var options = EngineSettings.BackendDefaults();
        change(options);
        return options;
    }

    private static void NoStartDedupe(AzureStorageOrchestrationServiceSettings settings) => settings.DisableExecutionStartedDeduplication = true;
}
