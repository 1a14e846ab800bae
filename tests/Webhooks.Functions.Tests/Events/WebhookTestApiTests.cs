using System.Net;
using System.Text.Json;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Events.EventLogKit;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Events;

public sealed class WebhookTestApiTests(EventLogFixture fixture) : IClassFixture<EventLogFixture>
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task Ping_ReceiverAnswers200_DeliveredSignedAndRecorded()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await using var receiver = await RecordingReceiver.StartAsync();
        receiver.ResponseBody = "pong";

        var ping = await (await client.PostAsync("/v1/webhooks/test", Json($$"""{"url":"{{receiver.Url}}"}"""))).AssertJsonAsync(HttpStatusCode.OK);

        var eventId = ping.GetProperty("event_id").GetString()!;
        Assert.Matches("^event_[a-z0-9]{16}$", eventId);
        Assert.Matches("^dlv_[a-z0-9]{16}$", ping.GetProperty("delivery_id").GetString());
        Assert.Equal("delivered", ping.GetProperty("outcome").GetString());
        Assert.Equal(200, ping.GetProperty("status_code").GetInt32());
        Assert.Equal("pong", ping.GetProperty("response_excerpt").GetString());
        Assert.Equal(JsonValueKind.Null, ping.GetProperty("error").ValueKind);
        Assert.True(ping.GetProperty("duration_ms").GetInt64() >= 0);

        var request = Assert.Single(receiver.Requests);
        Assert.Equal(eventId, request.EventId);
        Assert.Equal("event.ping", request.Header("X-Webhook-Event"));
        Assert.Equal("1/1", request.Header("X-Webhook-Attempt"));
        Assert.Equal(ping.GetProperty("delivery_id").GetString(), request.Header("X-Webhook-Delivery-Id"));
        Assert.True(VerifiesStandard(request, team.SigningSecret));
        Assert.Equal(HexSignature(request, team.SigningSecret), request.Header("X-Webhook-Signature"));
        using (var body = JsonDocument.Parse(request.Body))
        {
            Assert.Equal("event.ping", body.RootElement.GetProperty("object").GetString());
            Assert.Equal("ping", body.RootElement.GetProperty("data").GetProperty("message").GetString());
            Assert.Equal(team.Id, body.RootElement.GetProperty("data").GetProperty("team_id").GetString());
        }

        var attemptRow = await Table(App, "jobs").GetEntityAsync<AttemptEntity>(eventId, AttemptEntity.RowKeyFor(ping.GetProperty("delivery_id").GetString()!, 1));
        Assert.Equal(AttemptOutcome.Delivered, attemptRow.Value.Outcome);
        Assert.Equal("1/1", attemptRow.Value.Attempt);

        var evt = await client.GetJsonAsync($"/v1/events/{eventId}");
        Assert.Equal("event.ping", evt.GetProperty("object").GetString());
        Assert.Equal(JsonValueKind.Null, evt.GetProperty("resource_id").ValueKind);
        var delivery = Assert.Single(evt.GetProperty("deliveries").EnumerateArray());
        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        Assert.Equal("1/1", delivery.GetProperty("attempt").GetString());
        Assert.Equal("delivered", Assert.Single(delivery.GetProperty("attempts").EnumerateArray()).GetProperty("outcome").GetString());
        var listed = await EventuallyAsync(() => client.GetJsonAsync("/v1/events?type=event.ping"), p => p.GetProperty("data").GetArrayLength() == 1, "the ping in the event list");
        Assert.Equal(eventId, listed.GetProperty("data")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Ping_ReceiverAnswers500_HttpErrorAndFailedDelivery()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await using var receiver = await RecordingReceiver.StartAsync();
        receiver.Status = 500;
        receiver.ResponseBody = "boom";

        var ping = await (await client.PostAsync("/v1/webhooks/test", Json($$"""{"url":"{{receiver.Url}}"}"""))).AssertJsonAsync(HttpStatusCode.OK);

        Assert.Equal("http_error", ping.GetProperty("outcome").GetString());
        Assert.Equal(500, ping.GetProperty("status_code").GetInt32());
        Assert.Equal("boom", ping.GetProperty("response_excerpt").GetString());
        Assert.Contains("500", ping.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Single(receiver.Requests);
        var evt = await client.GetJsonAsync($"/v1/events/{ping.GetProperty("event_id").GetString()}");
        var delivery = Assert.Single(evt.GetProperty("deliveries").EnumerateArray());
        Assert.Equal("failed", delivery.GetProperty("status").GetString());
        Assert.Equal(1, delivery.GetProperty("attempts").GetArrayLength());
    }

    [Fact]
    public async Task Ping_NothingListening_ConnectionErrorAndAttemptRow()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        var closedUrl = $"http://127.0.0.1:{FreePort.Next()}/hooks";

        var ping = await (await client.PostAsync("/v1/webhooks/test", Json($$"""{"url":"{{closedUrl}}"}"""))).AssertJsonAsync(HttpStatusCode.OK);

        Assert.Equal("connection_error", ping.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, ping.GetProperty("status_code").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(ping.GetProperty("error").GetString()));
        var attemptRow = await Table(App, "jobs").GetEntityAsync<AttemptEntity>(
            ping.GetProperty("event_id").GetString()!, AttemptEntity.RowKeyFor(ping.GetProperty("delivery_id").GetString()!, 1));
        Assert.Equal(AttemptOutcome.ConnectionError, attemptRow.Value.Outcome);
    }

    [Fact]
    public async Task Ping_FailedPing_IsNotRecovered()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await using var receiver = await RecordingReceiver.StartAsync();
        receiver.Status = 500;
        var since = TimeProvider.System.GetUtcNow().AddMinutes(-1).UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        await (await client.PostAsync("/v1/webhooks/test", Json($$"""{"url":"{{receiver.Url}}"}"""))).AssertJsonAsync(HttpStatusCode.OK);
        await WaitForDeliveriesAsync(client, "failed", 1);

        var recovered = await (await client.PostAsync("/v1/deliveries/recover", Json($$"""{"since":"{{since}}"}"""))).AssertJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(0, recovered.GetProperty("count").GetInt32());
        Assert.Single(receiver.Requests);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"url":""}""")]
    [InlineData("""{"url":"not a url"}""")]
    [InlineData("""{"url":"ftp://example.com/x"}""")]
    [InlineData("""{"url":["http://example.com"]}""")]
    public async Task Ping_BadUrl_Returns400NamingUrl(string body)
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        var problem = await (await client.PostAsync("/v1/webhooks/test", Json(body))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["url"], problem.ErrorKeys());
    }

    [Fact]
    public async Task Ping_PlainHttpWhenHttpsRequired_Returns400()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Security:RequireHttpsWebhooks"] = "true" });
        using var client = app.Client();
        var problem = await (await client.PostAsync("/v1/webhooks/test", Json("""{"url":"http://example.com/hooks"}"""))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["url"], problem.ErrorKeys());
        Assert.Contains("https", problem.GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.Ordinal);
    }
}
