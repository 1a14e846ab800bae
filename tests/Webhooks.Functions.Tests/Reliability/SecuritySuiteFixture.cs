using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Reliability;

/// <summary>
/// One app with data to attack: team A (the dev team) owns a finished batch, a finished crawl, the event of the
/// batch, delivered, and an endpoint; team B is a second team with its own key. <see cref="SnapshotAsync"/> fingerprints every table
/// row (key and ETag) and the queues, so a test can prove that a rejected request changed nothing.
/// </summary>
public sealed class SecuritySuiteFixture : IAsyncLifetime
{
    private static readonly string[] Tables = ["teams", "apikeys", "jobs", "idempotency", "eventindex", "endpoints"];
    private static readonly string[] Queues = ["jobs"];

    public TestApp App { get; private set; } = null!;
    public string BatchId { get; private set; } = "";
    public string CrawlId { get; private set; } = "";
    public string EventId { get; private set; } = "";
    public string EndpointId { get; private set; } = "";
    public string OtherTeamKey { get; private set; } = "";
    public string OtherTeamId { get; private set; } = "";
    private TestSite _site = null!;
    private ScriptedReceiver _receiver = null!;

    public string ReceiverUrl => _receiver.Url;

    public async Task InitializeAsync()
    {
        _site = await TestSite.StartAsync();
        _receiver = await ScriptedReceiver.StartAsync(ReceiverBehaviour.AlwaysOk);
        App = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Delivery:Policies:standard"] = "0s,300ms,600ms",
            ["Delivery:AttemptTimeout"] = "00:00:03",
            ["Jobs:FetchTimeout"] = "00:00:05",
            // "Changes nothing" compares every row and queue before and after a request: no sweeper writes in between.
            ["Sweeper:Enabled"] = "false",
        });
        using var client = App.Client();
        var batch = await (await client.PostAsync("/v1/batches", Json(JsonSerializer.Serialize(new
        {
            items = new[] { new { url = _site.Url("/b/first"), custom_id = "first" }, new { url = _site.Url("/b/second"), custom_id = "second" } },
            webhook = _receiver.Url,
        })))).AssertJsonAsync(HttpStatusCode.Created);
        BatchId = batch.GetProperty("id").GetString()!;
        EventId = "event_" + BatchId["batch_".Length..];
        var crawl = await (await client.PostAsync("/v1/crawls", Json(JsonSerializer.Serialize(new { start_url = _site.Url("/c/fixture/0"), max_pages = 2 }))))
            .AssertJsonAsync(HttpStatusCode.Created);
        CrawlId = crawl.GetProperty("id").GetString()!;

        using var admin = App.Client(TestApp.AdminKey);
        var other = await (await admin.PostAsync("/v1/admin/teams", Json("""{"name":"team b"}"""))).AssertJsonAsync(HttpStatusCode.Created);
        OtherTeamKey = other.GetProperty("api_key").GetString()!;
        OtherTeamId = other.GetProperty("id").GetString()!;

        await ReliabilityKit.UntilAsync(async () => await (await client.GetAsync($"/v1/crawls/{CrawlId}")).Content.ReadAsStringAsync(),
            json => json.Contains("\"status\":\"completed\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100), json => "the crawl to complete: " + json);
        await ReliabilityKit.UntilAsync(async () => await (await client.GetAsync($"/v1/events/{EventId}")).Content.ReadAsStringAsync(),
            json => json.Contains("\"status\":\"delivered\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100), json => "the batch's event to be delivered: " + json);

        // Made once the jobs' events are raised, so that none of them goes to it.
        var endpoint = await (await client.PostAsync("/v1/endpoints", Json(JsonSerializer.Serialize(new { url = _receiver.Url, description = "team A's" }))))
            .AssertJsonAsync(HttpStatusCode.Created);
        EndpointId = endpoint.GetProperty("id").GetString()!;

        // Listing rows and guard deletes follow the recorded outcome; wait until nothing moves any more.
        var previous = await SnapshotAsync();
        await ReliabilityKit.UntilAsync(async () =>
            {
                await Task.Delay(300);
                var next = await SnapshotAsync();
                var stable = next == previous;
                previous = next;
                return stable;
            },
            stable => stable, TimeSpan.FromSeconds(20), TimeSpan.Zero, _ => "storage to stop changing after the fixture's jobs");

        // The fingerprint must see the rows and their versions, or "changes nothing" would prove nothing.
        var job = previous.Split('\n').FirstOrDefault(l => l.StartsWith($"jobs {BatchId} job ", StringComparison.Ordinal));
        Assert.True(job is not null && job.Length > $"jobs {BatchId} job ".Length, "the storage fingerprint misses the batch's row or its ETag:\n" + previous);
    }

    /// <summary>Every row of every table (table, keys, ETag) and the queues' message counts, as one comparable text.</summary>
    public async Task<string> SnapshotAsync()
    {
        var lines = new List<string>();
        var tables = new TableServiceClient(App.ConnectionString);
        foreach (var name in Tables)
        {
            await foreach (var row in tables.GetTableClient(App.Prefix + name).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            {
                lines.Add($"{name} {row.PartitionKey} {row.RowKey} {row.ETag}");
            }
        }
        var queues = new QueueServiceClient(App.ConnectionString);
        foreach (var name in Queues)
        {
            var properties = await queues.GetQueueClient(App.Prefix + name).GetPropertiesAsync();
            lines.Add($"queue {name} {properties.Value.ApproximateMessagesCount}");
        }
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await _receiver.DisposeAsync();
        await _site.DisposeAsync();
    }
}
