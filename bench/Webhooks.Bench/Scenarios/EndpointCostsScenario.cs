using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Webhooks.Bench.Receiver;
using Webhooks.Bench.Worker;
using Webhooks.Functions.Endpoints;

namespace Webhooks.Bench.Scenarios;

/// <summary>
/// What SPEC §13 and §14 cost on the delivery path, each measured like the throughput scenario's product path (same
/// in-flight deliveries, warm-up and window): events to <see cref="Endpoints"/> plain endpoints, then, in a second app on
/// the same Azurite, to as many endpoints with a custom header and an OAuth 2.0 client (a token endpoint served here,
/// tokens that live an hour, so the sender holds one after the first attempt). For each, the storage operations the
/// delivery aggregates write (the <c>stats</c> table) per delivery; and, after the second window, what one
/// <c>GET /v1/stats</c> of the last 24 hours by hour costs: its storage operations and its time.
/// </summary>
internal static class EndpointCostsScenario
{
    public const string Name = "endpoint-costs";
    public const int Endpoints = 4;
    private const int StatsQueries = 20;
    private const string StatsKindPrefix = "table stats ";

    public static async Task<JsonObject> RunAsync(WorkerInput input, CancellationToken cancellationToken)
    {
        using var receiver = new ReceiverClient(input.Receiver);
        await receiver.SetModeAsync(ReceiverMode.Ok);
        await using var tokens = await BenchTokenServer.StartAsync();
        var plain = await MeasureAsync(input, receiver, tokens: null, cancellationToken);
        var withOAuth = await MeasureAsync(input, receiver, tokens, cancellationToken);
        withOAuth["tokens_issued"] = tokens.Issued;
        return new JsonObject { ["endpoints"] = Endpoints, ["plain"] = plain, ["oauth2"] = withOAuth };
    }

    private static async Task<JsonObject> MeasureAsync(WorkerInput input, ReceiverClient receiver, BenchTokenServer? tokens, CancellationToken cancellationToken)
    {
        var label = tokens is null ? $"{Name}: plain endpoints" : $"{Name}: endpoints with OAuth 2.0 and a header";
        await using var app = await AppUnderTest.StartAsync(input.AzuriteConnection, new Dictionary<string, string>
        {
            ["Delivery:AttemptTimeout"] = "00:00:02",
        });
        using (var client = AppUnderTest.ApiClient(app.BaseAddress))
        {
            for (var i = 0; i < Endpoints; i++)
            {
                var url = input.Receiver.HookUrls[i % input.Receiver.HookUrls.Count];
                object endpoint = tokens is null ? new { url } : new
                {
                    url,
                    headers = new Dictionary<string, string> { ["X-Bench-Tenant"] = "tenant-1" },
                    oauth2 = new { token_url = tokens.Url, client_id = BenchTokenServer.ClientId, client_secret = BenchTokenServer.ClientSecret },
                };
                using var created = await client.PostAsJsonAsync(new Uri("/v1/endpoints", UriKind.Relative), endpoint, cancellationToken);
                created.EnsureSuccessStatusCode();
            }
        }
        var driver = new EventDriver(app, [], fanOut: Endpoints);
        var measured = await ThroughputScenario.MeasureProductPathAsync(app, driver, receiver, input, label, cancellationToken);
        measured["aggregate_ops_per_delivery"] = AggregateOps(measured["storage_ops_per_delivery"]!["by_kind"]!.AsObject());
        // Each (team, scope) aggregate row is written at most once per flush interval: the team's and each endpoint's.
        measured["aggregate_rows"] = Endpoints + 1;
        measured["flush_interval_s"] = app.App.Services.GetRequiredService<IOptions<EndpointOptions>>().Value.HealthFlushInterval.TotalSeconds;
        if (tokens is not null)
        {
            measured["stats_query"] = await StatsQueryCostAsync(app, cancellationToken);
        }
        return measured;
    }

    /// <summary>The per-delivery operations on the aggregates' table, from a window's operations by kind.</summary>
    public static double AggregateOps(JsonObject byKind) =>
        Math.Round(byKind.Where(k => k.Key.StartsWith(StatsKindPrefix, StringComparison.Ordinal)).Sum(k => k.Value!.GetValue<double>()), 4);

    /// <summary>
    /// <see cref="StatsQueries"/> queries one after another, each counted alone: reads of the aggregates' table, the
    /// app's other operations in the same interval (the aggregates' flushes among them, so an upper bound), and the time.
    /// </summary>
    private static async Task<JsonObject> StatsQueryCostAsync(AppUnderTest app, CancellationToken cancellationToken)
    {
        using var client = AppUnderTest.ApiClient(app.BaseAddress);
        var milliseconds = new List<double>();
        long statsReads = 0, otherAppOps = 0, buckets = 0;
        for (var i = 0; i < StatsQueries; i++)
        {
            var before = app.Counter.Snapshot();
            var timer = Stopwatch.StartNew();
            var answer = await client.GetFromJsonAsync<JsonObject>(new Uri("/v1/stats?bucket=PT1H", UriKind.Relative), cancellationToken);
            milliseconds.Add(timer.Elapsed.TotalMilliseconds);
            buckets = answer!["data"]!.AsArray().Count;
            foreach (var (kind, count) in StorageOpCounter.Between(before, app.Counter.Snapshot()))
            {
                // The query's reads; the aggregates' own flushes (writes) that fall in the interval count as other work.
                if (kind.StartsWith(StatsKindPrefix + "query", StringComparison.Ordinal) || kind.StartsWith(StatsKindPrefix + "get", StringComparison.Ordinal))
                {
                    statsReads += count;
                }
                else if (!kind.Contains(StorageOpCounter.EngineMarker, StringComparison.Ordinal) && !OpsReport.IsBackground(kind))
                {
                    otherAppOps += count;
                }
            }
        }
        milliseconds.Sort();
        return new JsonObject
        {
            ["queries"] = StatsQueries,
            ["buckets"] = buckets,
            ["stats_table_reads_per_query"] = Math.Round(statsReads / (double)StatsQueries, 2),
            ["other_app_ops_per_query"] = Math.Round(otherAppOps / (double)StatsQueries, 2),
            ["p50_ms"] = Math.Round(milliseconds[milliseconds.Count / 2], 1),
            ["max_ms"] = Math.Round(milliseconds[^1], 1),
        };
    }
}
