using System.Net;
using System.Text.Json;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Tests.Infrastructure;
using Webhooks.Functions.Tests.Stats;
using Xunit.Abstractions;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Reliability;

/// <summary>
/// SPEC §14 "the figures are right": a known mix of outcomes (7 delivered, 2 × 500, a timeout, a refused connection)
/// made by two app processes on one storage account and one task hub, read back exactly from <c>GET /v1/stats</c>
/// of either process (their rows add up), from the Dashboard's table of either, and from the <c>GET /metrics</c>
/// of both, summed.
/// </summary>
public sealed class StatsScaleOutTests(ITestOutputHelper output)
{
    private static readonly TimeSpan SettleDeadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task TwoProcesses_KnownMix_StatsAndSummedMetricsShowExactlyIt()
    {
        var azurite = await AzuriteProcess.Shared;
        var prefix = "m" + Guid.NewGuid().ToString("N")[..12];
        await using var site = await TestSite.StartAsync();
        await using var receiver = await StatsKit.MixedReceiverAsync();
        var settings = StatsKit.OneAttemptEach().ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);
        // Partition leases that move within seconds, as in ScaleOutTests, so that two processes starting together share soon.
        settings["Durable:PartitionLeaseInterval"] = "00:00:06";
        var started = await Task.WhenAll(AppProcess.StartAsync(azurite.ConnectionString, prefix, settings),
            AppProcess.StartAsync(azurite.ConnectionString, prefix, settings));
        await using var a = started[0];
        await using var b = started[1];
        var webhooks = Enumerable.Repeat(receiver.Url("/hooks/ok"), 7)
            .Concat([receiver.Url("/hooks/fail"), receiver.Url("/hooks/fail"), receiver.Url("/hooks/slow"), StatsKit.RefusedUrl()]).ToList();
        var clients = new[] { a.Client(), b.Client() };
        try
        {
            var batches = new List<string>();
            for (var i = 0; i < webhooks.Count; i++)
            {
                var json = JsonSerializer.Serialize(new { items = new[] { new { url = site.Url($"/b/stats-{i}") } }, webhook = webhooks[i] });
                var batch = await (await clients[i % 2].PostAsync("/v1/batches", Json(json))).AssertJsonAsync(HttpStatusCode.Created);
                batches.Add(batch.GetProperty("id").GetString()!);
            }
            await ReliabilityKit.UntilAsync(() => DeliveryStatusesAsync(clients[0]), s => s.Count(IsEnded) == webhooks.Count, SettleDeadline, TimeSpan.FromMilliseconds(500),
                s => $"all {webhooks.Count} deliveries to end; {s.Count(IsEnded)} have: {string.Join(", ", s)}\n{a.RecentOutput}\n{b.RecentOutput}");

            var expected = new Figures(11, 7, 0, 0, 2, 1, 1);
            foreach (var client in clients)
            {
                var stats = await StatsKit.StatsAsync(client);
                output.WriteLine(stats.ToString());
                Assert.Equal(expected, StatsKit.Sum(stats));
            }
            // The portal's Dashboard of either process: its chart's table holds the same figures.
            foreach (var app in new[] { a, b })
            {
                Assert.Equal(expected, await StatsKit.PortalTableSumsAsync(app.BaseAddress, TestApp.DevApiKey));
            }

            using var adminA = a.Client(TestApp.AdminKey);
            using var adminB = b.Client(TestApp.AdminKey);
            var samples = new List<PrometheusSample>();
            foreach (var admin in new[] { adminA, adminB })
            {
                var text = await admin.GetStringAsync("/metrics");
                var mine = PrometheusText.Samples(text, "webhooks_attempts_total");
                output.WriteLine($"{admin.BaseAddress}: {string.Join(", ", mine.Select(s => $"{s.Labels["outcome"]}/{s.Labels["status_class"]}={s.Value}"))}");
                samples.AddRange(mine);
            }
            double Count(string outcome) => samples.Where(s => s.Labels["outcome"] == outcome).Sum(s => s.Value);
            Assert.Equal(11, samples.Sum(s => s.Value));
            Assert.Equal(7, Count(AttemptOutcome.Delivered));
            Assert.Equal(2, samples.Where(s => s.Labels["status_class"] == "5xx").Sum(s => s.Value));
            Assert.Equal(1, Count(AttemptOutcome.Timeout));
            Assert.Equal(1, Count(AttemptOutcome.ConnectionError));
            Assert.All(samples, s => Assert.Equal("event.batch.completed", s.Labels["event_type"]));
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static bool IsEnded(string status) => status.EndsWith(" delivered", StringComparison.Ordinal) || status.EndsWith(" failed", StringComparison.Ordinal);

    /// <summary>Each delivery of the team as "url status", from the deliveries list.</summary>
    private static async Task<List<string>> DeliveryStatusesAsync(HttpClient client)
    {
        var page = await (await client.GetAsync("/v1/deliveries?limit=100")).AssertJsonAsync(HttpStatusCode.OK);
        return [.. page.GetProperty("data").EnumerateArray().Select(d => $"{d.GetProperty("url").GetString()} {d.GetProperty("status").GetString()}")];
    }
}
