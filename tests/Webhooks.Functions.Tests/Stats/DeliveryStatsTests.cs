using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Endpoints;
using Webhooks.Functions.Retention;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Tests.Delivery;
using Webhooks.Functions.Tests.Events;
using Webhooks.Functions.Tests.Infrastructure;
using Xunit.Abstractions;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Stats;

/// <summary>
/// SPEC §14 <c>GET /v1/stats</c> on the real app: a known mix of outcomes read back per team and per endpoint, hourly
/// and daily, from the aggregate rows only (a fixed storage budget), and those rows going with retention.
/// </summary>
public sealed class DeliveryStatsTests(ITestOutputHelper output)
{
    /// <summary>A 24-hour hourly read: the one range query of the stats rows, and nothing else.</summary>
    private const int DayOfHoursBudget = 1;

    [Fact]
    public async Task Stats_KnownMix_ReadBackExactlyPerTeamAndPerEndpoint_HourlyAndDaily()
    {
        await using var app = await TestApp.StartAsync(StatsKit.OneAttemptEach());
        await using var receiver = await StatsKit.MixedReceiverAsync();
        var team = await EventLogKit.CreateTeamAsync(app);
        using var client = app.Client(team.ApiKey);
        var endpoint = await (await client.PostAsync("/v1/endpoints", Json($$"""{"url":"{{receiver.Url("/hooks/ok")}}"}"""))).AssertJsonAsync(HttpStatusCode.Created);
        var endpointId = endpoint.GetProperty("id").GetString()!;

        // Two events for the endpoint (no job webhook), then job webhooks: 3 delivered, 2 × 500, a timeout, a refusal.
        var webhooks = new string?[] { null, null, receiver.Url("/hooks/ok"), receiver.Url("/hooks/ok"), receiver.Url("/hooks/ok"),
            receiver.Url("/hooks/fail"), receiver.Url("/hooks/fail"), receiver.Url("/hooks/slow"), StatsKit.RefusedUrl() };
        foreach (var webhook in webhooks)
        {
            await StatsKit.WaitForEndAsync(app, await DeliveryTestKit.RaiseAsync(app, team.Id, webhook));
        }

        var hourly = await StatsKit.StatsAsync(client);
        output.WriteLine(hourly.ToString());
        Assert.Equal("PT1H", hourly.GetProperty("bucket").GetString());
        var starts = hourly.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("start").GetDateTimeOffset()).ToList();
        Assert.Equal(24, starts.Count);
        Assert.All(starts.Zip(starts.Skip(1)), p => Assert.Equal(TimeSpan.FromHours(1), p.Second - p.First));
        var now = TimeProvider.System.GetUtcNow();
        Assert.Equal(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero), starts[^1]);
        Assert.Equal(new Figures(9, 5, 0, 0, 2, 1, 1), StatsKit.Sum(hourly));
        var busy = hourly.GetProperty("data").EnumerateArray().Where(e => e.GetProperty("attempts").GetInt64() > 0).ToList();
        Assert.All(busy, e =>
        {
            Assert.True(e.GetProperty("duration_ms").GetProperty("p50").GetInt64() >= 0);
            Assert.True(e.GetProperty("duration_ms").GetProperty("p95").GetInt64() >= e.GetProperty("duration_ms").GetProperty("p50").GetInt64());
        });
        // The timeout took the attempt timeout (3 s): the slowest attempts are in the 2.5-5 s bucket.
        Assert.Contains(busy, e => e.GetProperty("duration_ms").GetProperty("p99").GetInt64() > 2_500);
        Assert.Contains(busy, e => e.GetProperty("delivery_latency_ms").GetProperty("p50").ValueKind == JsonValueKind.Number);
        Assert.All(hourly.GetProperty("data").EnumerateArray().Where(e => e.GetProperty("attempts").GetInt64() == 0),
            e => Assert.Equal(JsonValueKind.Null, e.GetProperty("duration_ms").GetProperty("p50").ValueKind));

        var ofEndpoint = await StatsKit.StatsAsync(client, $"?endpoint_id={endpointId}");
        Assert.Equal(new Figures(2, 2, 0, 0, 0, 0, 0), StatsKit.Sum(ofEndpoint));

        var daily = await StatsKit.StatsAsync(client, "?bucket=P1D");
        Assert.Equal("P1D", daily.GetProperty("bucket").GetString());
        Assert.Equal(30, daily.GetProperty("data").GetArrayLength());
        Assert.Equal(new Figures(9, 5, 0, 0, 2, 1, 1), StatsKit.Sum(daily));

        var since = starts[^1].AddHours(-2).ToString("O", CultureInfo.InvariantCulture);
        var window = await StatsKit.StatsAsync(client, $"?since={Uri.EscapeDataString(since)}&until={Uri.EscapeDataString(starts[^1].AddMinutes(1).ToString("O", CultureInfo.InvariantCulture))}");
        Assert.Equal(3, window.GetProperty("data").GetArrayLength());

        // Another team sees none of it.
        var other = await EventLogKit.CreateTeamAsync(app, "other");
        using var otherClient = app.Client(other.ApiKey);
        Assert.Equal(new Figures(0, 0, 0, 0, 0, 0, 0), StatsKit.Sum(await StatsKit.StatsAsync(otherClient)));
        await (await otherClient.GetAsync($"/v1/stats?endpoint_id={endpointId}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Stats_DayOfHours_ReadsOnlyAggregateRows_WithinAFixedBudget_WhateverTheAttempts()
    {
        var counter = new StorageOperationCounter();
        var settings = StatsKit.OneAttemptEach();
        settings["Sweeper:Enabled"] = "false";
        await using var app = await TestApp.StartAsync(settings, services => services.AddSingleton<HttpPipelinePolicy>(counter));
        await using var receiver = await StatsKit.MixedReceiverAsync();
        var teamId = await DeliveryTestKit.DevTeamIdAsync(app);
        using var client = app.Client();

        for (var round = 1; round <= 2; round++)
        {
            var raised = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => DeliveryTestKit.RaiseAsync(app, teamId, receiver.Url("/hooks/ok"))));
            foreach (var r in raised)
            {
                await StatsKit.WaitForEndAsync(app, r);
                // The engine's own writes (the orchestration completing) come after the delivery row's; they are not the read's.
                await Eventually.WaitAsync(() => DeliveryTestKit.OrchestrationStatusAsync(app, r.Deliveries[0].DeliveryId),
                    s => s == "Completed", what: "the orchestration to complete");
            }
            // The key is looked up (and cached) by a first request, so the one counted is the stats read alone.
            await StatsKit.StatsAsync(client);
            counter.Reset();
            counter.Recording = true;
            var stats = await StatsKit.StatsAsync(client);
            counter.Recording = false;

            var operations = counter.Operations.Where(o => !StorageOperationCounter.IsPartitionManagement(o)
                && !o.Contains("-control-", StringComparison.Ordinal) && !o.Contains("-workitems", StringComparison.Ordinal)).ToList();
            output.WriteLine($"after {round * 10} attempts, {operations.Count} storage operations:\n{string.Join('\n', operations)}");
            Assert.Equal(round * 10L, StatsKit.Sum(stats).Delivered);
            Assert.True(operations.Count <= DayOfHoursBudget, $"{operations.Count} operations: {string.Join(" | ", operations)}");
            Assert.All(operations, o => Assert.Contains(app.Prefix + StorageNames.StatsTable, o, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Retention_DeletesStatsRowsOfHoursBeforeTheCutoff_AndKeepsRecentOnes()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Retention:Age"] = "2.00:00:00", ["Sweeper:Enabled"] = "false" });
        var table = new TableServiceClient(app.ConnectionString).GetTableClient(app.Prefix + StorageNames.StatsTable);
        var now = TimeProvider.System.GetUtcNow();
        var thisHour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var counts = new DeliveryStatsCounts();
        counts.Add(new AttemptResult(AttemptOutcome.Delivered, 204, null, null, now, TimeSpan.FromMilliseconds(40), null), TimeSpan.FromSeconds(1));
        var old = counts.ToRow("team_0000000000000001", DeliveryStatsCounts.TeamScope, thisHour.AddDays(-3), "old");
        var recent = counts.ToRow("team_0000000000000001", DeliveryStatsCounts.TeamScope, thisHour.AddDays(-1), "recent");
        await table.UpsertEntityAsync(old);
        await table.UpsertEntityAsync(recent);

        await app.Services.GetServices<ISweepTask>().OfType<RetentionSweep>().Single().SweepAsync(CancellationToken.None);

        var left = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            left.Add(row.RowKey);
        }
        Assert.Equal([recent.RowKey], left);
    }

    [Fact]
    public async Task Stats_ManyAttemptsCountedAtOnceWhenAWriteIsDue_WriteTheRowOnce_AndLoseNoCount()
    {
        var counter = new StorageOperationCounter();
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Endpoints:HealthFlushInterval"] = "01:00:00",
            ["Sweeper:Enabled"] = "false",
        }, services => services.AddSingleton<HttpPipelinePolicy>(counter));
        var teamId = await DeliveryTestKit.DevTeamIdAsync(app);
        var health = app.Services.GetRequiredService<EndpointHealth>();
        var delivered = new AttemptResult(AttemptOutcome.Delivered, 200, null, null, DateTimeOffset.UnixEpoch, TimeSpan.FromMilliseconds(20), null);

        counter.Recording = true;
        // The first count finds the team's row due (never written); the others arrive while that write is under way.
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => health.CountAsync(teamId, null, delivered, TimeSpan.FromMilliseconds(40), CancellationToken.None))));
        counter.Recording = false;

        var writes = counter.Operations.Where(o => o.Contains(app.Prefix + StorageNames.StatsTable, StringComparison.Ordinal)).ToList();
        Assert.True(writes.Count == 1, $"{writes.Count} writes of the stats row in one flush interval: {string.Join(" | ", writes)}");
        using var client = app.Client();
        Assert.Equal(50, StatsKit.Sum(await StatsKit.StatsAsync(client)).Attempts);
    }

    [Fact]
    public void Range_DefaultsAndWidening_AreWholeBucketsEndingWithTheCurrentOne()
    {
        var now = new DateTimeOffset(2026, 12, 6, 19, 41, 7, TimeSpan.Zero);
        Assert.Equal((new DateTimeOffset(2026, 12, 5, 20, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 6, 20, 0, 0, TimeSpan.Zero)),
            StatsApi.Range(null, null, StatsBucketSize.Hour, now));
        Assert.Equal((new DateTimeOffset(2026, 11, 7, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero)),
            StatsApi.Range(null, null, StatsBucketSize.Day, now));
        Assert.Equal((new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero)),
            StatsApi.Range(new DateTimeOffset(2026, 12, 6, 10, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 6, 11, 1, 0, TimeSpan.Zero), StatsBucketSize.Hour, now));
    }

    [Theory]
    [InlineData(AttemptOutcome.Delivered, 200, AttemptClass.Delivered)]
    [InlineData(AttemptOutcome.Redirect, 302, "3xx")]
    [InlineData(AttemptOutcome.Gone, 410, "4xx")]
    [InlineData(AttemptOutcome.HttpError, 429, "4xx")]
    [InlineData(AttemptOutcome.HttpError, 503, "5xx")]
    [InlineData(AttemptOutcome.Timeout, null, "timeout")]
    [InlineData(AttemptOutcome.ConnectionError, null, "connection")]
    [InlineData(AttemptOutcome.Blocked, null, "connection")]
    public void AttemptClass_OfEachOutcome_IsItsFailureClass(string outcome, int? status, string expected) =>
        Assert.Equal(expected, AttemptClass.Of(new AttemptResult(outcome, status, null, null, DateTimeOffset.UnixEpoch, TimeSpan.Zero, null)));

    [Fact]
    public void Histogram_PercentilesInterpolateInsideFixedBuckets_AndInstancesAddUp()
    {
        var a = new DeliveryHistogram(DeliveryHistogram.DurationBoundsMs);
        var b = new DeliveryHistogram(DeliveryHistogram.DurationBoundsMs);
        Assert.Null(a.Percentile(0.5));
        for (var i = 0; i < 90; i++)
        {
            a.Add(30);
        }
        for (var i = 0; i < 10; i++)
        {
            b.Add(4_000);
        }
        var sum = new DeliveryHistogram(DeliveryHistogram.DurationBoundsMs);
        sum.AddStored(a.ToString());
        sum.AddStored(b.ToString());
        Assert.Equal(100, sum.Count);
        var p50 = sum.Percentile(0.5)!.Value;
        Assert.InRange(p50, 25, 50);
        Assert.InRange(sum.Percentile(0.95)!.Value, 2_500, 5_000);
        b.Add(120_000);
        Assert.Equal(60_000, b.Percentile(1.0));
    }
}
