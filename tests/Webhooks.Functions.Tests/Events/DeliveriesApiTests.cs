using System.Globalization;
using System.Net;
using System.Text.Json;
using Webhooks.Functions.Hosting;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Events.EventLogKit;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Events;

public sealed class DeliveriesApiTests(EventLogFixture fixture) : IClassFixture<EventLogFixture>
{
    private TestApp App => fixture.App;

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Recover_AfterCustomerOutage_RedeliversEachFailedDeliveryExactlyOnce()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await using var receiver = await RecordingReceiver.StartAsync();
        var windowStart = TimeProvider.System.GetUtcNow().AddSeconds(-1);

        receiver.Status = 500;
        var eventIds = new[]
        {
            await RaiseAsync(App, team.Id, receiver.Url),
            await RaiseAsync(App, team.Id, receiver.Url, "crawl"),
            await RaiseAsync(App, team.Id, receiver.Url),
        };
        var failed = await WaitForDeliveriesAsync(client, "failed", 3);
        Assert.All(failed, d =>
        {
            Assert.Equal("3/3", d.GetProperty("attempt").GetString());
            Assert.Equal(3, d.GetProperty("attempts_made").GetInt32());
            Assert.Equal(500, d.GetProperty("last_status_code").GetInt32());
            Assert.Contains("500", d.GetProperty("last_error").GetString(), StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Null, d.GetProperty("delivered_at").ValueKind);
        });
        Assert.Equal(eventIds.Order(), failed.Select(d => d.GetProperty("event_id").GetString()).Order());
        Assert.Equal(9, receiver.Requests.Count);
        var failedIds = failed.Select(d => d.GetProperty("id").GetString()).ToHashSet();

        receiver.Status = 200;
        var window = Json($$"""{"since":"{{Iso(windowStart)}}","until":"{{Iso(TimeProvider.System.GetUtcNow().AddMinutes(1))}}"}""");
        var body = await window.ReadAsStringAsync();
        var first = await (await client.PostAsync("/v1/deliveries/recover", Json(body))).AssertJsonAsync(HttpStatusCode.Accepted);
        var second = await (await client.PostAsync("/v1/deliveries/recover", Json(body))).AssertJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(3, first.GetProperty("count").GetInt32());
        Assert.Equal(0, second.GetProperty("count").GetInt32());

        var delivered = await WaitForDeliveriesAsync(client, "delivered", 3);
        Assert.Equal(eventIds.Order(), delivered.Select(d => d.GetProperty("event_id").GetString()).Order());
        Assert.All(delivered, d => Assert.DoesNotContain(d.GetProperty("id").GetString(), failedIds));
        Assert.All(delivered, d => Assert.Equal("1/3", d.GetProperty("attempt").GetString()));

        var third = await (await client.PostAsync("/v1/deliveries/recover", Json(body))).AssertJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(0, third.GetProperty("count").GetInt32());
        var accepted = receiver.Accepted;
        Assert.Equal(eventIds.Order(), accepted.Select(r => r.EventId).Order());
        Assert.All(accepted, r => Assert.Equal("1/3", r.Header("X-Webhook-Attempt")));
        Assert.Equal(12, receiver.Requests.Count);

        // The history keeps the originals as failed next to their replacements.
        var evt = await client.GetJsonAsync($"/v1/events/{eventIds[1]}");
        Assert.Equal(["failed", "delivered"], evt.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Recover_ReplacementFailsToo_NextRecoverSendsTheReplacementNotTheOriginal()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await using var receiver = await RecordingReceiver.StartAsync();
        var since = Iso(TimeProvider.System.GetUtcNow().AddSeconds(-1));
        receiver.Status = 503;
        var eventId = await RaiseAsync(App, team.Id, receiver.Url);
        await WaitForDeliveriesAsync(client, "failed", 1);

        var first = await (await client.PostAsync("/v1/deliveries/recover", Json($$"""{"since":"{{since}}"}"""))).AssertJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(1, first.GetProperty("count").GetInt32());
        await WaitForDeliveriesAsync(client, "failed", 2);

        receiver.Status = 200;
        var second = await (await client.PostAsync("/v1/deliveries/recover", Json($$"""{"since":"{{since}}"}"""))).AssertJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(1, second.GetProperty("count").GetInt32());
        var accepted = await EventuallyAsync(() => Task.FromResult(receiver.Accepted), r => r.Count == 1, "the second recovery");
        Assert.Equal(eventId, accepted[0].EventId);
        await WaitForDeliveriesAsync(client, "delivered", 1);
        Assert.Equal(7, receiver.Requests.Count);
    }

    [Fact]
    public async Task Recover_FailedDeliveryWhoseListingRowWasLost_IsRecoveredAfterRepair()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await using var receiver = await RecordingReceiver.StartAsync();
        var since = Iso(TimeProvider.System.GetUtcNow().AddSeconds(-1));
        receiver.Status = 500;
        var eventId = await RaiseAsync(App, team.Id, receiver.Url);
        await WaitForDeliveriesAsync(client, "failed", 1);
        var index = Table(App, "eventindex");
        await foreach (var row in index.QueryAsync<Azure.Data.Tables.TableEntity>(r => r.PartitionKey == team.Id))
        {
            await index.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        await App.Services.GetRequiredService<Sweeper>().RunAsync(CancellationToken.None);

        receiver.Status = 200;
        var recovered = await (await client.PostAsync("/v1/deliveries/recover", Json($$"""{"since":"{{since}}"}"""))).AssertJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(1, recovered.GetProperty("count").GetInt32());
        var accepted = await EventuallyAsync(() => Task.FromResult(receiver.Accepted), r => r.Count == 1, "the recovered delivery");
        Assert.Equal(eventId, accepted[0].EventId);
    }

    [Fact]
    public async Task ListDeliveries_PagesAndFilters_ByStatusAndTime()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await using var good = await RecordingReceiver.StartAsync();
        await using var bad = await RecordingReceiver.StartAsync();
        bad.Status = 500;

        var older = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            older.Add(await RaiseAsync(App, team.Id, i % 4 == 0 ? bad.Url : good.Url));
        }
        var middle = TimeProvider.System.GetUtcNow();
        var newer = new List<string>();
        for (var i = 0; i < 11; i++)
        {
            newer.Add(await RaiseAsync(App, team.Id, good.Url));
        }
        await WaitForDeliveriesAsync(client, "failed", 3);
        await WaitForDeliveriesAsync(client, "delivered", 20);

        var (all, pages) = await client.ReadAllPagesAsync("/v1/deliveries?limit=10");
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(older.Concat(newer)), all.Select(d => d.GetProperty("event_id").GetString()));
        Assert.Equal(23, all.Select(d => d.GetProperty("id").GetString()).Distinct().Count());
        var sample = all[0];
        Assert.Equal("event.batch.completed", sample.GetProperty("event_type").GetString());
        Assert.Equal(good.Url, sample.GetProperty("url").GetString());
        Assert.Equal(200, sample.GetProperty("last_status_code").GetInt32());
        Assert.Equal(JsonValueKind.Null, sample.GetProperty("last_error").ValueKind);
        Assert.Equal(JsonValueKind.String, sample.GetProperty("delivered_at").ValueKind);
        Assert.Equal(JsonValueKind.String, sample.GetProperty("created_at").ValueKind);
        Assert.Equal(1, sample.GetProperty("attempts_made").GetInt32());
        Assert.Equal(3, sample.GetProperty("max_attempts").GetInt32());

        var (failed, _) = await client.ReadAllPagesAsync("/v1/deliveries?status=failed&limit=2");
        Assert.Equal(new[] { older[8], older[4], older[0] }, failed.Select(d => d.GetProperty("event_id").GetString()));
        var (pending, _) = await client.ReadAllPagesAsync("/v1/deliveries?status=pending");
        Assert.Empty(pending);

        var (recent, _) = await client.ReadAllPagesAsync($"/v1/deliveries?since={Uri.EscapeDataString(Iso(middle))}&limit=5");
        Assert.Equal(Enumerable.Reverse(newer), recent.Select(d => d.GetProperty("event_id").GetString()));
        var (earlier, _) = await client.ReadAllPagesAsync($"/v1/deliveries?until={Uri.EscapeDataString(Iso(middle))}&status=delivered");
        Assert.Equal(Enumerable.Reverse(older).Where((_, i) => (11 - i) % 4 != 0), earlier.Select(d => d.GetProperty("event_id").GetString()));
    }

    [Theory]
    [InlineData("status=lost", "status")]
    [InlineData("since=yesterday", "since")]
    [InlineData("until=2025-13-45T00:00:00Z", "until")]
    [InlineData("since=2025-01-02T00:00:00Z&until=2025-01-01T00:00:00Z", "until")]
    [InlineData("limit=-1", "limit")]
    [InlineData("cursor=%%%", "cursor")]
    public async Task ListDeliveries_BadParameter_Returns400NamingIt(string query, string parameter)
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        var problem = await (await client.GetAsync("/v1/deliveries?" + query)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([parameter], problem.ErrorKeys());
    }

    [Theory]
    [InlineData("""{}""", "since")]
    [InlineData("""{"since":"not a time"}""", "since")]
    [InlineData("""{"since":7}""", "since")]
    [InlineData("""{"since":"2025-01-01T00:00:00Z","until":"2025-01-20T00:00:00Z"}""", "since")]
    [InlineData("""{"since":"2025-01-02T00:00:00Z","until":"2025-01-01T00:00:00Z"}""", "until")]
    [InlineData("""{"since":"2025-01-01T00:00:00Z","until":"soon"}""", "until")]
    public async Task Recover_BadWindow_Returns400NamingField(string body, string field)
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        var problem = await (await client.PostAsync("/v1/deliveries/recover", Json(body))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ErrorKeys());
    }

    [Fact]
    public async Task Recover_WithoutJsonBody_Returns415Or400()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await (await client.PostAsync("/v1/deliveries/recover", null)).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await client.PostAsync("/v1/deliveries/recover", Json("[]"))).AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
