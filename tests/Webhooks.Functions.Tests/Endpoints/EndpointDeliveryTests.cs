using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Endpoints;
using Webhooks.Functions.Events;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Tests.Delivery;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Endpoints;

public sealed class EndpointDeliveryFixture : IAsyncLifetime
{
    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await TestApp.StartAsync(new Dictionary<string, string?>
    {
        ["Delivery:Policies:standard"] = "0s,1s,1s",
        // A retry that waits long enough for a test to act on the pending delivery.
        ["Delivery:Policies:slow"] = "0s,10m",
        ["Delivery:AttemptTimeout"] = "00:00:05",
        ["Endpoints:HealthWindow"] = "00:10:00",
        ["Endpoints:HealthMinAttempts"] = "4",
        // Every attempt is written and judged at once, so the test needs no flush timer.
        ["Endpoints:HealthFlushInterval"] = "00:00:00",
    });

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// Endpoints as deliveries see them (SPEC §8, §9): the fan-out, the job webhook that wins, parking while disabled and
/// recovery, deletion, the per-endpoint rate, health with its operational events, and <c>event.delivery.exhausted</c>.
/// Each test has a team of its own; events are raised exactly as the job engine raises them.
/// </summary>
public sealed class EndpointDeliveryTests(EndpointDeliveryFixture fixture) : IClassFixture<EndpointDeliveryFixture>
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task Event_GoesToEveryMatchingEndpointAndTheDefaultUrl_OnceEach()
    {
        var (teamId, client) = await NewTeamAsync();
        await using var batches = await WebhookReceiver.StartAsync();
        await using var crawls = await WebhookReceiver.StartAsync();
        await using var everything = await WebhookReceiver.StartAsync();
        await using var fallback = await WebhookReceiver.StartAsync();
        var batchEndpoint = await CreateEndpointAsync(client, batches.Url, [EventTypes.BatchCompleted]);
        await CreateEndpointAsync(client, crawls.Url, [EventTypes.CrawlCompleted, EventTypes.CrawlFailed]);
        var allEndpoint = await CreateEndpointAsync(client, everything.Url, null);
        await PatchTeamAsync(client, new { default_webhook_url = fallback.Url });

        var raised = await DeliveryTestKit.RaiseAsync(App, teamId, webhook: null);

        var eventId = raised.Event.EventId;
        foreach (var receiver in new[] { batches, everything, fallback })
        {
            var received = Assert.Single(await receiver.WaitForAsync(1));
            Assert.Equal(eventId, received.Header("webhook-id"));
        }
        var evt = await Eventually.WaitAsync(() => GetJsonAsync(client, $"/v1/events/{eventId}"),
            e => e.GetProperty("deliveries").EnumerateArray().All(d => d.GetProperty("status").GetString() == "delivered"), what: "every delivery delivered");
        var byUrl = evt.GetProperty("deliveries").EnumerateArray().ToDictionary(d => d.GetProperty("url").GetString()!, d => d.GetProperty("endpoint_id"));
        Assert.Equal(3, byUrl.Count);
        Assert.Equal(batchEndpoint, byUrl[batches.Url].GetString());
        Assert.Equal(allEndpoint, byUrl[everything.Url].GetString());
        Assert.Equal(JsonValueKind.Null, byUrl[fallback.Url].ValueKind);
        Assert.Empty(crawls.Received);

        var filtered = await GetJsonAsync(client, $"/v1/deliveries?endpoint_id={batchEndpoint}");
        var only = Assert.Single(filtered.GetProperty("data").EnumerateArray());
        Assert.Equal(batchEndpoint, only.GetProperty("endpoint_id").GetString());
        Assert.Equal(eventId, only.GetProperty("event_id").GetString());
    }

    [Fact]
    public async Task JobWebhook_WinsOverEndpointsAndTheDefaultUrl()
    {
        var (teamId, client) = await NewTeamAsync();
        await using var endpoint = await WebhookReceiver.StartAsync();
        await using var fallback = await WebhookReceiver.StartAsync();
        await using var own = await WebhookReceiver.StartAsync();
        await CreateEndpointAsync(client, endpoint.Url, null);
        await PatchTeamAsync(client, new { default_webhook_url = fallback.Url });

        var raised = await DeliveryTestKit.RaiseAsync(App, teamId, webhook: own.Url);

        Assert.Single(await own.WaitForAsync(1));
        var delivery = Assert.Single(raised.Deliveries);
        Assert.Null(delivery.EndpointId);
        await DeliveryTestKit.WaitForStatusAsync(App, delivery, "delivered");
        Assert.Empty(endpoint.Received);
        Assert.Empty(fallback.Received);
    }

    [Fact]
    public async Task FailingEndpoint_IsReportedThenDisabled_ItsDeliveriesPark_AndEnableWithRecoverDeliversThem()
    {
        var (teamId, client) = await NewTeamAsync();
        await using var operations = await WebhookReceiver.StartAsync();
        var healthy = false;
        await using var endpoint = await WebhookReceiver.StartAsync((_, context) =>
        {
            context.Response.StatusCode = Volatile.Read(ref healthy) ? 200 : 500;
            return Task.CompletedTask;
        });
        var endpointId = await CreateEndpointAsync(client, endpoint.Url, null);
        await PatchTeamAsync(client, new { operations_webhook_url = operations.Url });

        // Two events, attempted twice each before the fourth failure disables the endpoint; their third attempts park.
        var first = await DeliveryTestKit.RaiseAsync(App, teamId, webhook: null);
        var second = await DeliveryTestKit.RaiseAsync(App, teamId, webhook: null);
        foreach (var raised in new[] { first, second })
        {
            var parked = await DeliveryTestKit.WaitForStatusAsync(App, Assert.Single(raised.Deliveries), "parked");
            Assert.Equal(2, parked.AttemptsMade);
            Assert.Null(parked.NextAttemptAt);
        }
        var disabled = await GetJsonAsync(client, $"/v1/endpoints/{endpointId}");
        Assert.Equal("disabled", disabled.GetProperty("status").GetString());
        Assert.Contains("4 of 4 attempts failed", disabled.GetProperty("disabled_reason").GetString(), StringComparison.Ordinal);

        var operational = await operations.WaitForAsync(2);
        Assert.Equal(
            new[] { EventTypes.EndpointDisabled, EventTypes.EndpointFailing }.Order(StringComparer.Ordinal),
            operational.Select(w => w.Header("X-Webhook-Event")).Order(StringComparer.Ordinal));
        foreach (var received in operational)
        {
            using var body = JsonDocument.Parse(received.Body);
            var data = body.RootElement.GetProperty("data");
            Assert.Equal(endpointId, data.GetProperty("endpoint").GetProperty("id").GetString());
            Assert.Equal(4, data.GetProperty("health").GetProperty("attempts").GetInt32());
            Assert.Equal(4, data.GetProperty("health").GetProperty("failures").GetInt32());
            Assert.Equal("PT10M", data.GetProperty("health").GetProperty("window").GetString());
        }
        var listed = await GetJsonAsync(client, $"/v1/events?type={EventTypes.EndpointDisabled}");
        Assert.Single(listed.GetProperty("data").EnumerateArray());

        var health = await GetJsonAsync(client, $"/v1/endpoints/{endpointId}/health");
        Assert.Equal(4, health.GetProperty("attempts").GetInt32());
        Assert.Equal(4, health.GetProperty("failures").GetInt32());
        Assert.Equal(1.0, health.GetProperty("failure_ratio").GetDouble());
        Assert.Equal(JsonValueKind.Null, health.GetProperty("last_success_at").ValueKind);

        // While disabled, a new event is recorded for the endpoint as a parked delivery, with no attempt.
        var third = await DeliveryTestKit.RaiseAsync(App, teamId, webhook: null);
        var parkedAtOnce = await DeliveryTestKit.ReadDeliveryAsync(App, Assert.Single(third.Deliveries));
        Assert.Equal("parked", parkedAtOnce.Status);
        // The first two orchestrations ended when their deliveries parked, and the third delivery has none: nothing more
        // can be sent while the endpoint is disabled. (That the third sent nothing shows below: it is delivered at 1/3.)
        foreach (var raised in new[] { first, second })
        {
            Assert.Equal("Completed", await DurableStatus.WaitForEndAsync(App, raised.Deliveries[0].DeliveryId));
        }
        Assert.Null(await DurableStatus.OfAsync(App, parkedAtOnce.DeliveryId));
        Assert.Equal(4, endpoint.Received.Count);

        Volatile.Write(ref healthy, true);
        var enabled = await (await client.PostAsync($"/v1/endpoints/{endpointId}/enable", HttpAssertions.Json("""{"recover": true}""")))
            .AssertJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(3, enabled.GetProperty("count").GetInt32());

        foreach (var raised in new[] { first, second })
        {
            var delivered = await DeliveryTestKit.WaitForStatusAsync(App, Assert.Single(raised.Deliveries), "delivered");
            Assert.Equal("3/3", delivered.Attempt);
        }
        Assert.Equal("1/3", (await DeliveryTestKit.WaitForStatusAsync(App, Assert.Single(third.Deliveries), "delivered")).Attempt);
        foreach (var raised in new[] { first, second, third })
        {
            Assert.Equal("Completed", await DurableStatus.WaitForEndAsync(App, raised.Deliveries[0].DeliveryId));
        }
        Assert.Equal(7, endpoint.Received.Count);
        // An attempt is counted just after it is recorded, so the last one may not be counted yet.
        var afresh = await Eventually.WaitAsync(() => GetJsonAsync(client, $"/v1/endpoints/{endpointId}/health"),
            h => h.GetProperty("attempts").GetInt32() >= 3, what: "the three attempts since enable counted");
        Assert.Equal(3, afresh.GetProperty("attempts").GetInt32());
        Assert.Equal(0, afresh.GetProperty("failures").GetInt32());
    }

    [Fact]
    public async Task DeletingAnEndpoint_EndsItsPendingDeliveriesAsFailed_WithoutAnExhaustedEvent()
    {
        var (teamId, client) = await NewTeamAsync();
        await using var operations = await WebhookReceiver.StartAsync();
        await using var endpoint = await WebhookReceiver.StartAsync((_, context) =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        var endpointId = await CreateEndpointAsync(client, endpoint.Url, null);
        await PatchTeamAsync(client, new { operations_webhook_url = operations.Url, retry_policy = "slow" });
        var raised = await DeliveryTestKit.RaiseAsync(App, teamId, webhook: null);
        var delivery = Assert.Single(raised.Deliveries);
        await Eventually.WaitAsync(() => DeliveryTestKit.ReadDeliveryAsync(App, delivery), d => d.AttemptsMade == 1, what: "the first attempt");

        var deleted = await client.DeleteAsync($"/v1/endpoints/{endpointId}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var ended = await DeliveryTestKit.ReadDeliveryAsync(App, delivery);
        Assert.Equal("failed", ended.Status);
        Assert.Equal("endpoint deleted", ended.LastError);
        Assert.Null(ended.NextAttemptAt);
        var listed = await GetJsonAsync(client, $"/v1/deliveries?status=failed&endpoint_id={endpointId}");
        Assert.Equal("endpoint deleted", Assert.Single(listed.GetProperty("data").EnumerateArray()).GetProperty("last_error").GetString());
        // Its health counts went with it.
        var endpointsTable = new TableServiceClient(App.ConnectionString).GetTableClient(App.Prefix + StorageNames.EndpointsTable);
        await foreach (var row in endpointsTable.QueryAsync<TableEntity>(e => e.PartitionKey == endpointId))
        {
            Assert.Fail($"row {row.RowKey} of the deleted endpoint's partition is left");
        }
        // The orchestration waits ten minutes for its next attempt; what it will do then is run here now: the attempt
        // finds the delivery ended and sends nothing, and the ending raises no exhausted event. Such an event's row and
        // listing are written before its delivery starts, so it would be listed once the activity has returned.
        var next = new AttemptRequest(delivery.PartitionKey, delivery.DeliveryId, 2);
        Assert.Equal(DeliveryStatus.Failed, (await App.Services.GetRequiredService<DeliveryAttemptActivity>().RunAsync(next, default)).Status);
        Assert.True(await App.Services.GetRequiredService<DeliveryExhaustedActivity>().RunAsync(next, default));
        var exhausted = await GetJsonAsync(client, $"/v1/events?type={EventTypes.DeliveryExhausted}");
        Assert.Empty(exhausted.GetProperty("data").EnumerateArray());
        Assert.Empty(operations.Received);
        Assert.Single(endpoint.Received);
    }

    [Fact]
    public async Task RateLimitedEndpoint_GetsEveryDelivery_AtMostItsRatePerSecond_WithoutFailedAttempts()
    {
        const int Events = 8;
        var (teamId, client) = await NewTeamAsync();
        await using var endpoint = await WebhookReceiver.StartAsync();
        await CreateEndpointAsync(client, endpoint.Url, null, rateLimitPerSecond: 2);

        var raised = await Task.WhenAll(Enumerable.Range(0, Events).Select(_ => DeliveryTestKit.RaiseAsync(App, teamId, webhook: null)));

        var received = await endpoint.WaitForAsync(Events, TimeSpan.FromSeconds(60));
        foreach (var r in raised)
        {
            var delivered = await DeliveryTestKit.WaitForStatusAsync(App, Assert.Single(r.Deliveries), "delivered");
            Assert.Equal(1, delivered.AttemptsMade);
        }
        var attempts = (await Task.WhenAll(raised.Select(r => DeliveryTestKit.ReadAttemptsAsync(App, r.Deliveries[0])))).SelectMany(a => a).ToList();
        Assert.Equal(Events, attempts.Count);
        // Slots are claimed per second of the app's clock; an attempt given a slot of one second may start just after
        // that second ended, so the slots of two seconds (2 × the rate) can share a stamped second (seen once in a
        // fresh-clone run: four attempts within 0.1 s, two of them late for their second), never the whole burst.
        Assert.All(attempts.GroupBy(a => a.StartedAt.ToUnixTimeSeconds()), second => Assert.InRange(second.Count(), 1, 4));
        Assert.True(received.Max(w => w.ReceivedAt) - received.Min(w => w.ReceivedAt) >= TimeSpan.FromSeconds(2),
            "eight deliveries at two a second cannot all arrive within two seconds");
    }

    [Fact]
    public async Task DeliveryThatEndsFailed_RaisesDeliveryExhausted_ToTheOperationsUrl()
    {
        var (teamId, client) = await NewTeamAsync();
        await using var operations = await WebhookReceiver.StartAsync();
        await using var failing = await WebhookReceiver.StartAsync((_, context) =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        });
        await PatchTeamAsync(client, new { operations_webhook_url = operations.Url });

        var raised = await DeliveryTestKit.RaiseAsync(App, teamId, webhook: failing.Url);

        var received = Assert.Single(await operations.WaitForAsync(1));
        Assert.Equal(EventTypes.DeliveryExhausted, received.Header("X-Webhook-Event"));
        using var body = JsonDocument.Parse(received.Body);
        var delivery = body.RootElement.GetProperty("data").GetProperty("delivery");
        Assert.Equal(raised.Deliveries[0].DeliveryId, delivery.GetProperty("id").GetString());
        Assert.Equal("failed", delivery.GetProperty("status").GetString());
        Assert.Equal("3/3", delivery.GetProperty("attempt").GetString());
        Assert.Equal(3, failing.Received.Count);
        var listed = await GetJsonAsync(client, $"/v1/events?type={EventTypes.DeliveryExhausted}");
        Assert.Equal(received.Header("webhook-id"), Assert.Single(listed.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task HealthRowsOlderThanTheWindow_ArePrunedWhenABucketEnds()
    {
        // The health counts read a clock of their own, moved past the window (a day, of 24 buckets of an hour) instead
        // of waiting it out; the deliveries themselves run on the real clock.
        var healthClock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["Endpoints:HealthFlushInterval"] = "00:00:00" },
            services => services.AddSingleton(sp => ActivatorUtilities.CreateInstance<EndpointHealth>(sp, healthClock)));
        var teamId = await DeliveryTestKit.DevTeamIdAsync(app);
        using var client = app.Client();
        await using var endpoint = await WebhookReceiver.StartAsync();
        var endpointId = await CreateEndpointAsync(client, endpoint.Url, null);
        var table = new TableServiceClient(app.ConnectionString).GetTableClient(app.Prefix + StorageNames.EndpointsTable);

        // An attempt is counted after it is recorded: its delivery shows delivered a moment before its health row is
        // written, and the second attempt prunes the first's rows just before it writes its own.
        var first = await DeliveryTestKit.RaiseAsync(app, teamId, webhook: null);
        await DeliveryTestKit.WaitForStatusAsync(app, Assert.Single(first.Deliveries), "delivered");
        var firstRows = await Eventually.WaitAsync(() => HealthRowKeysAsync(table, endpointId), keys => keys.Count > 0,
            what: "the first attempt's health row");
        healthClock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromHours(1));
        var second = await DeliveryTestKit.RaiseAsync(app, teamId, webhook: null);
        await DeliveryTestKit.WaitForStatusAsync(app, Assert.Single(second.Deliveries), "delivered");

        await Eventually.WaitAsync(() => HealthRowKeysAsync(table, endpointId), keys => keys.Count > 0 && !keys.Intersect(firstRows).Any(),
            what: "the first attempt's health rows pruned and the second's written");
        var health = await GetJsonAsync(client, $"/v1/endpoints/{endpointId}/health");
        Assert.Equal(1, health.GetProperty("attempts").GetInt32());
    }

    private static async Task<List<string>> HealthRowKeysAsync(TableClient table, string endpointId)
    {
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == endpointId))
        {
            if (row.RowKey.StartsWith("health_", StringComparison.Ordinal))
            {
                keys.Add(row.RowKey);
            }
        }
        return keys;
    }

    private async Task<(string TeamId, HttpClient Client)> NewTeamAsync()
    {
        using var admin = App.Client(TestApp.AdminKey);
        var team = await (await admin.PostAsync("/v1/admin/teams", HttpAssertions.Json($$"""{"name": "endpoints-{{Guid.NewGuid():N}}"}""")))
            .AssertJsonAsync(HttpStatusCode.Created);
        return (team.GetProperty("id").GetString()!, App.Client(team.GetProperty("api_key").GetString()));
    }

    private static async Task<string> CreateEndpointAsync(HttpClient client, string url, string[]? eventTypes, int? rateLimitPerSecond = null)
    {
        var body = JsonSerializer.Serialize(new { url, event_types = eventTypes, rate_limit_per_s = rateLimitPerSecond });
        var endpoint = await (await client.PostAsync("/v1/endpoints", HttpAssertions.Json(body))).AssertJsonAsync(HttpStatusCode.Created);
        return endpoint.GetProperty("id").GetString()!;
    }

    private static async Task PatchTeamAsync(HttpClient client, object settings) =>
        await (await client.PatchAsync("/v1/team", HttpAssertions.Json(JsonSerializer.Serialize(settings)))).AssertJsonAsync(HttpStatusCode.OK);

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path) =>
        await (await client.GetAsync(path)).AssertJsonAsync(HttpStatusCode.OK);
}
