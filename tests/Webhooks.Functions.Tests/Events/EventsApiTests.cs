using System.Net;
using System.Text.Json;
using Webhooks.Functions.Hosting;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Events.EventLogKit;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Events;

public sealed class EventsApiTests(EventLogFixture fixture) : IClassFixture<EventLogFixture>
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task ListEvents_MoreThanOnePage_FollowsCursorsNewestFirstAndFilters()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await using var receiver = await RecordingReceiver.StartAsync();
        var raised = new List<string>();
        var crawls = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            var crawl = i % 3 == 0;
            var id = await RaiseAsync(App, team.Id, receiver.Url, crawl ? "crawl" : "batch");
            raised.Add(id);
            if (crawl)
            {
                crawls.Add(id);
            }
        }
        await WaitForDeliveriesAsync(client, "delivered", 25);

        var (items, pages) = await client.ReadAllPagesAsync("/v1/events?limit=10");
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(raised), items.Select(e => e.GetProperty("id").GetString()));
        Assert.Equal("event.crawl.completed", items[0].GetProperty("object").GetString());
        var first = items[1];
        Assert.Equal("event.batch.completed", first.GetProperty("object").GetString());
        Assert.Matches("^batch_[a-z0-9]{16}$", first.GetProperty("resource_id").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", first.GetProperty("created_at").GetString());
        var delivery = Assert.Single(first.GetProperty("deliveries").EnumerateArray());
        Assert.Equal(receiver.Url, delivery.GetProperty("url").GetString());
        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        Assert.Equal("1/3", delivery.GetProperty("attempt").GetString());
        Assert.Matches("^dlv_[a-z0-9]{16}$", delivery.GetProperty("id").GetString());

        var firstPage = await client.GetJsonAsync("/v1/events");
        Assert.Equal(20, firstPage.GetProperty("data").GetArrayLength());

        var (crawlEvents, _) = await client.ReadAllPagesAsync("/v1/events?type=event.crawl.completed&limit=4");
        Assert.Equal(Enumerable.Reverse(crawls), crawlEvents.Select(e => e.GetProperty("id").GetString()));
        Assert.All(crawlEvents, e => Assert.StartsWith("crawl_", e.GetProperty("resource_id").GetString(), StringComparison.Ordinal));

        var resourceId = items[7].GetProperty("resource_id").GetString();
        var byResource = await client.GetJsonAsync($"/v1/events?resource_id={resourceId}");
        Assert.Equal(items[7].GetProperty("id").GetString(), Assert.Single(byResource.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, byResource.GetProperty("next_cursor").ValueKind);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=YWJj", "cursor")]
    [InlineData("type=event.unknown", "type")]
    [InlineData("limit=5&limit=6", "limit")]
    public async Task ListEvents_BadParameter_Returns400NamingIt(string query, string parameter)
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        var problem = await (await client.GetAsync("/v1/events?" + query)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([parameter], problem.ErrorKeys());
    }

    [Fact]
    public async Task ListEvents_CursorOfDeliveryList_Returns400()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await using var receiver = await RecordingReceiver.StartAsync();
        await RaiseAsync(App, team.Id, receiver.Url);
        await RaiseAsync(App, team.Id, receiver.Url);
        await WaitForDeliveriesAsync(client, "delivered", 2);
        var deliveriesPage = await client.GetJsonAsync("/v1/deliveries?limit=1");
        var cursor = deliveriesPage.GetProperty("next_cursor").GetString()!;

        var problem = await (await client.GetAsync("/v1/events?cursor=" + Uri.EscapeDataString(cursor))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["cursor"], problem.ErrorKeys());
    }

    [Fact]
    public async Task GetEvent_AfterFailedDelivery_ShowsDataDeliveriesAndEveryAttempt()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await using var receiver = await RecordingReceiver.StartAsync();
        receiver.Status = 500;
        receiver.ResponseBody = "database down";
        var eventId = await RaiseAsync(App, team.Id, receiver.Url, "crawl");
        await WaitForDeliveriesAsync(client, "failed", 1);

        var evt = await client.GetJsonAsync($"/v1/events/{eventId}");
        Assert.Equal(eventId, evt.GetProperty("id").GetString());
        Assert.Equal("event.crawl.completed", evt.GetProperty("object").GetString());
        var data = evt.GetProperty("data");
        Assert.Equal(JsonValueKind.Object, data.ValueKind);
        Assert.Equal(evt.GetProperty("resource_id").GetString(), data.GetProperty("id").GetString());
        Assert.Equal("crawl", data.GetProperty("object").GetString());
        Assert.Equal(Functions.Crawling.CrawlResponse.Example.UrlsCount, data.GetProperty("urls_count").GetInt32());

        var delivery = Assert.Single(evt.GetProperty("deliveries").EnumerateArray());
        Assert.Equal("failed", delivery.GetProperty("status").GetString());
        Assert.Equal("3/3", delivery.GetProperty("attempt").GetString());
        Assert.Equal(3, delivery.GetProperty("attempts_made").GetInt32());
        Assert.Equal(3, delivery.GetProperty("max_attempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("next_attempt_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("delivered_at").ValueKind);
        var attempts = delivery.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(["1/3", "2/3", "3/3"], attempts.Select(a => a.GetProperty("attempt").GetString()));
        Assert.All(attempts, a =>
        {
            Assert.Equal("http_error", a.GetProperty("outcome").GetString());
            Assert.Equal(500, a.GetProperty("status_code").GetInt32());
            Assert.Equal("database down", a.GetProperty("response_excerpt").GetString());
            Assert.Contains("500", a.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.True(a.GetProperty("duration_ms").GetInt64() >= 0);
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", a.GetProperty("started_at").GetString());
        });
        Assert.Equal(3, receiver.Requests.Count(r => r.EventId == eventId));
    }

    [Theory]
    [InlineData("event_doesnotexist00")]
    [InlineData("event_0000000000000000")]
    [InlineData("batch_0000000000000000")]
    public async Task GetEvent_UnknownOrMalformedId_Returns404(string id)
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await (await client.GetAsync($"/v1/events/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync($"/v1/events/{id}/redeliver", null)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Redeliver_ToAnotherUrl_NewDeliveryIdSameEventIdAttemptOne()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await using var original = await RecordingReceiver.StartAsync();
        await using var other = await RecordingReceiver.StartAsync();
        var eventId = await RaiseAsync(App, team.Id, original.Url);
        await WaitForDeliveriesAsync(client, "delivered", 1);
        var firstDeliveryId = Assert.Single(original.Accepted).Header("X-Webhook-Delivery-Id");

        var response = await client.PostAsync($"/v1/events/{eventId}/redeliver", Json($$"""{"url":"{{other.Url}}"}"""));
        var redelivery = await response.AssertJsonAsync(HttpStatusCode.Accepted);
        var newId = redelivery.GetProperty("id").GetString();
        Assert.NotEqual(firstDeliveryId, newId);
        Assert.Equal(other.Url, redelivery.GetProperty("url").GetString());
        Assert.Equal("1/3", redelivery.GetProperty("attempt").GetString());
        Assert.Equal($"/v1/events/{eventId}", response.Headers.Location?.ToString());

        var received = await EventuallyAsync(() => Task.FromResult(other.Accepted), r => r.Count == 1, "the redelivery");
        Assert.Equal(eventId, received[0].EventId);
        Assert.Equal(newId, received[0].Header("X-Webhook-Delivery-Id"));
        Assert.Equal("1/3", received[0].Header("X-Webhook-Attempt"));
        using (var body = JsonDocument.Parse(received[0].Body))
        {
            Assert.Equal(eventId, body.RootElement.GetProperty("id").GetString());
            Assert.Equal("1/3", body.RootElement.GetProperty("delivery_attempt").GetString());
        }

        // Without a body the event goes again to where it was first delivered.
        var again = await (await client.PostAsync($"/v1/events/{eventId}/redeliver", null)).AssertJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(original.Url, again.GetProperty("url").GetString());
        await EventuallyAsync(() => Task.FromResult(original.Accepted), r => r.Count == 2, "the second redelivery");

        var evt = await EventuallyAsync(
            () => client.GetJsonAsync($"/v1/events/{eventId}"),
            e => e.GetProperty("deliveries").EnumerateArray().All(d => d.GetProperty("status").GetString() == "delivered")
                && e.GetProperty("deliveries").GetArrayLength() == 3,
            "three delivered deliveries");
        Assert.Equal([firstDeliveryId, newId, again.GetProperty("id").GetString()],
            evt.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("""{"url":"ftp://example.com/hook"}""")]
    [InlineData("""{"url":"https://user:pw@example.com/hook"}""")]
    [InlineData("""{"url":"https://example.com/hook#x"}""")]
    [InlineData("""{"url":42}""")]
    public async Task Redeliver_BadUrl_Returns400NamingUrl(string body)
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        var eventId = await RaiseAsync(App, team.Id, webhook: null);
        var problem = await (await client.PostAsync($"/v1/events/{eventId}/redeliver", Json(body))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["url"], problem.ErrorKeys());
    }

    [Fact]
    public async Task Redeliver_MalformedBody_Returns400AndWrongContentType415()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        var eventId = await RaiseAsync(App, team.Id, webhook: null);
        await (await client.PostAsync($"/v1/events/{eventId}/redeliver", Json("""{"url": """))).AssertProblemAsync(HttpStatusCode.BadRequest);
        var form = new StringContent("url=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        await (await client.PostAsync($"/v1/events/{eventId}/redeliver", form)).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task TeamDefaultUrl_JobWithoutWebhook_IsDeliveredThereAndUsedByRedeliver()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await using var receiver = await RecordingReceiver.StartAsync();

        // No webhook and no default: the event is recorded with no delivery, and redeliver has nowhere to go.
        var undelivered = await RaiseAsync(App, team.Id, webhook: null);
        var evt = await client.GetJsonAsync($"/v1/events/{undelivered}");
        Assert.Equal(0, evt.GetProperty("deliveries").GetArrayLength());
        var problem = await (await client.PostAsync($"/v1/events/{undelivered}/redeliver", null)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["url"], problem.ErrorKeys());

        await (await client.PatchAsync("/v1/team", Json($$"""{"default_webhook_url":"{{receiver.Url}}"}"""))).AssertJsonAsync(HttpStatusCode.OK);
        var delivered = await RaiseAsync(App, team.Id, webhook: null);
        var received = await EventuallyAsync(() => Task.FromResult(receiver.Accepted), r => r.Count == 1, "the default-URL delivery");
        Assert.Equal(delivered, received[0].EventId);

        var redelivery = await (await client.PostAsync($"/v1/events/{undelivered}/redeliver", null)).AssertJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(receiver.Url, redelivery.GetProperty("url").GetString());
        received = await EventuallyAsync(() => Task.FromResult(receiver.Accepted), r => r.Count == 2, "the redelivery to the default URL");
        Assert.Equal(undelivered, received[1].EventId);
    }

    [Fact]
    public async Task OtherTeam_EveryRoute_AnswersAsIfTheEventDidNotExist()
    {
        var owner = await CreateTeamAsync(App, "owner");
        var stranger = await CreateTeamAsync(App, "stranger");
        using var ownerClient = App.Client(owner.ApiKey);
        using var strangerClient = App.Client(stranger.ApiKey);
        await using var receiver = await RecordingReceiver.StartAsync();
        receiver.Status = 500;
        var eventId = await RaiseAsync(App, owner.Id, receiver.Url);
        Assert.Single(await WaitForDeliveriesAsync(ownerClient, "failed", 1));
        var requestsBefore = receiver.Requests.Count;

        await (await strangerClient.GetAsync($"/v1/events/{eventId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await strangerClient.PostAsync($"/v1/events/{eventId}/redeliver", Json($$"""{"url":"{{receiver.Url}}"}""")))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, (await strangerClient.GetJsonAsync("/v1/events")).GetProperty("data").GetArrayLength());
        Assert.Equal(0, (await strangerClient.GetJsonAsync("/v1/deliveries")).GetProperty("data").GetArrayLength());
        var recovered = await (await strangerClient.PostAsync("/v1/deliveries/recover", Json("""{"since":"2000-01-01T00:00:00Z","until":"2000-01-10T00:00:00Z"}""")))
            .AssertJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(0, recovered.GetProperty("count").GetInt32());
        var since = ApiTimeText(TimeProvider.System.GetUtcNow().AddHours(-1));
        recovered = await (await strangerClient.PostAsync("/v1/deliveries/recover", Json($$"""{"since":"{{since}}"}"""))).AssertJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(0, recovered.GetProperty("count").GetInt32());

        Assert.Equal(requestsBefore, receiver.Requests.Count);
        Assert.Equal(eventId, (await ownerClient.GetJsonAsync($"/v1/events/{eventId}")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task IndexRepair_ListingRowsLost_SweeperRestoresThem()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await using var receiver = await RecordingReceiver.StartAsync();
        var eventId = await RaiseAsync(App, team.Id, receiver.Url);
        var delivered = Assert.Single(await WaitForDeliveriesAsync(client, "delivered", 1));

        // As if the process died after committing the rows but before writing their listing rows.
        var index = Table(App, "eventindex");
        await foreach (var row in index.QueryAsync<Azure.Data.Tables.TableEntity>(r => r.PartitionKey == team.Id))
        {
            await index.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }
        Assert.Equal(0, (await client.GetJsonAsync("/v1/events")).GetProperty("data").GetArrayLength());

        await App.Services.GetRequiredService<Sweeper>().RunAsync(CancellationToken.None);

        var events = (await client.GetJsonAsync("/v1/events")).GetProperty("data");
        Assert.Equal(eventId, Assert.Single(events.EnumerateArray()).GetProperty("id").GetString());
        var deliveries = (await client.GetJsonAsync("/v1/deliveries")).GetProperty("data");
        Assert.Equal(delivered.GetProperty("id").GetString(), Assert.Single(deliveries.EnumerateArray()).GetProperty("id").GetString());
    }

    private static string ApiTimeText(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
