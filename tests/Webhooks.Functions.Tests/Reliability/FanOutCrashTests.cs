using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Webhooks.Functions.Tests.Infrastructure;
using Xunit.Abstractions;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Reliability;

/// <summary>
/// SPEC §7 for the fan-out of §8: the process is killed with <c>kill -9</c> while jobs are completing and their events
/// fan out to five endpoints. After the restart every event has exactly one delivery per endpoint, each delivered, and
/// every endpoint received every event.
/// </summary>
public sealed class FanOutCrashTests(ITestOutputHelper output)
{
    private const int Endpoints = 5;
    private const int Batches = 30;

    /// <summary>The crash suite's timings (see <see cref="CrashRecoveryTests"/>): messages back after 15 s, leases free after 6 s.</summary>
    private static readonly Dictionary<string, string> Settings = new(StringComparer.Ordinal)
    {
        ["Delivery:Policies:standard"] = "0s,1s,2s",
        ["Jobs:FetchTimeout"] = "00:05:00",
        ["Jobs:StallTimeout"] = "00:00:02",
        ["Durable:MessageVisibilityTimeout"] = "00:00:15",
        ["Durable:PartitionLeaseInterval"] = "00:00:06",
        ["EventIndex:RepairMinAge"] = "00:00:05",
        ["Delivery:UnstartedGrace"] = "00:00:20",
    };

    [Fact]
    public async Task KilledWhileEventsFanOutToFiveEndpoints_EachEndpointGetsEachEventAsExactlyOneDelivery()
    {
        var azurite = await AzuriteProcess.Shared;
        var prefix = "f" + Guid.NewGuid().ToString("N")[..12];
        await using var site = await TestSite.StartAsync();
        var receivers = new List<ScriptedReceiver>();
        for (var i = 0; i < Endpoints; i++)
        {
            receivers.Add(await ScriptedReceiver.StartAsync(ReceiverBehaviour.AlwaysOk));
        }
        await using var app = await AppProcess.StartAsync(azurite.ConnectionString, prefix, Settings);
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(prefix + "jobs");
        try
        {
            using var client = app.Client();
            var endpointIds = new List<string>();
            foreach (var receiver in receivers)
            {
                var endpoint = await (await client.PostAsync("/v1/endpoints", Json(JsonSerializer.Serialize(new { url = receiver.Url }))))
                    .AssertJsonAsync(HttpStatusCode.Created);
                endpointIds.Add(endpoint.GetProperty("id").GetString()!);
            }
            var jobIds = new List<string>();
            for (var i = 0; i < Batches; i++)
            {
                var json = JsonSerializer.Serialize(new { items = new[] { new { url = site.Url($"/b/fan-{i}?g=fan&d=10") } } });
                var batch = await (await client.PostAsync("/v1/batches", Json(json))).AssertJsonAsync(HttpStatusCode.Created);
                jobIds.Add(batch.GetProperty("id").GetString()!);
            }
            await ReliabilityKit.UntilAsync(() => site.Hits >= Batches, TimeSpan.FromSeconds(30), () => $"every fetch held (site hits {site.Hits})");

            // The fetches are released together; the process dies at the first webhook, while the other completions are
            // committing their five deliveries and starting them.
            site.OpenGate("fan");
            await ReliabilityKit.UntilAsync(() => receivers.Any(r => r.Requests.Count > 0), TimeSpan.FromSeconds(30), () => "the first webhook");
            await app.KillAsync();
            var delivered = receivers.Sum(r => r.Requests.Count);
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            await app.StartAsync();

            var rows = await ReliabilityKit.UntilAsync(() => ReliabilityKit.PartitionsAsync(table), p => Unsettled(jobIds, p).Count == 0,
                TimeSpan.FromMinutes(4), TimeSpan.FromMilliseconds(500), p => $"unsettled: {string.Join(", ", Unsettled(jobIds, p))}\n{app.RecentOutput}");

            var expectedEndpoints = endpointIds.Order(StringComparer.Ordinal).ToList();
            var eventIds = new List<string>();
            foreach (var jobId in jobIds)
            {
                var deliveries = rows[jobId].Where(r => r.RowKey.StartsWith("delivery_", StringComparison.Ordinal)).ToList();
                Assert.Equal(expectedEndpoints, deliveries.Select(d => d.GetString("EndpointId")).Order(StringComparer.Ordinal));
                Assert.All(deliveries, d => Assert.Equal("delivered", d.GetString("Status")));
                eventIds.Add(rows[jobId].Single(r => r.RowKey == "event").GetString("EventId"));
            }
            foreach (var receiver in receivers)
            {
                Assert.Equal(eventIds.Order(StringComparer.Ordinal), receiver.Requests.Select(r => r.EventId).Distinct().Order(StringComparer.Ordinal));
            }
            output.WriteLine($"{Batches} events × {Endpoints} endpoints; {delivered} webhooks had arrived at the kill; " +
                $"{receivers.Sum(r => r.Requests.Count)} webhook requests in all (a request crossing the kill may be sent again)");
        }
        finally
        {
            foreach (var receiver in receivers)
            {
                await receiver.DisposeAsync();
            }
        }
    }

    /// <summary>Jobs whose event does not yet have its five deliveries, all delivered.</summary>
    private static List<string> Unsettled(IEnumerable<string> jobIds, Dictionary<string, List<TableEntity>> partitions) =>
        [.. jobIds.Where(id => !partitions.TryGetValue(id, out var rows)
            || rows.Count(r => r.RowKey.StartsWith("delivery_", StringComparison.Ordinal) && r.GetString("Status") == "delivered") < Endpoints)];
}
