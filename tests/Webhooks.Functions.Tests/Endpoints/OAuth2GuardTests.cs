using System.Net;
using System.Text.Json;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Tests.Delivery;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Endpoints;

/// <summary>An app with the SSRF guard on and https required (Security:AllowPrivateNetworks=false, RequireHttpsWebhooks=true), as outside Development.</summary>
public sealed class GuardedAppFixture : IAsyncLifetime
{
    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await TestApp.StartAsync(new Dictionary<string, string?>
    {
        ["Security:AllowPrivateNetworks"] = "false",
        ["Security:RequireHttpsWebhooks"] = "true",
        ["Delivery:Policies:standard"] = "0s,1s",
        ["Endpoints:HealthMinAttempts"] = "1000",
    });

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>SPEC §13: an OAuth 2.0 token_url follows the SSRF guard like the webhook URL does.</summary>
public sealed class OAuth2GuardTests(GuardedAppFixture fixture) : IClassFixture<GuardedAppFixture>
{
    [Fact]
    public async Task TokenUrl_NotHttps_WhereHttpsIsRequired_Is400()
    {
        var app = fixture.App;
        using var admin = app.Client(TestApp.AdminKey);
        var team = await (await admin.PostAsync("/v1/admin/teams", Json("{\"name\":\"https\"}"))).AssertJsonAsync(HttpStatusCode.Created);
        using var client = app.Client(team.GetProperty("api_key").GetString());

        var response = await client.PostAsync("/v1/endpoints", Json(
            "{\"url\":\"https://receiver.example/hooks\",\"oauth2\":{\"token_url\":\"http://login.example/token\",\"client_id\":\"a\",\"client_secret\":\"b\"}}"));

        Assert.Equal(["oauth2.token_url"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorKeys());
    }

    [Fact]
    public async Task TokenUrl_OnALoopbackAddress_IsRefusedByTheGuard_AsAFailedAttempt()
    {
        var app = fixture.App;
        using var admin = app.Client(TestApp.AdminKey);
        var team = await (await admin.PostAsync("/v1/admin/teams", Json("""{"name":"guarded"}"""))).AssertJsonAsync(HttpStatusCode.Created);
        using var client = app.Client(team.GetProperty("api_key").GetString());
        await using var tokens = await OAuth2TokenServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await (await client.PostAsync("/v1/endpoints", Json(JsonSerializer.Serialize(new
            {
                // https as required; the guard refuses the address before any TLS would start.
                url = receiver.Url.Replace("http://", "https://", StringComparison.Ordinal),
                oauth2 = new { token_url = tokens.Url.Replace("http://", "https://", StringComparison.Ordinal), client_id = "a", client_secret = "b" },
            }))))
            .AssertJsonAsync(HttpStatusCode.Created);

        var raised = await DeliveryTestKit.RaiseAsync(app, team.GetProperty("id").GetString()!, webhook: null);

        var delivery = await DeliveryTestKit.WaitForStatusAsync(app, Assert.Single(raised.Deliveries), "failed");
        Assert.StartsWith("oauth2: token_url: ", delivery.LastError, StringComparison.Ordinal);
        var attempts = await DeliveryTestKit.ReadAttemptsAsync(app, delivery);
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(AttemptOutcome.Blocked, a.Outcome));
        Assert.Empty(tokens.Issued);
        Assert.Empty(receiver.Received);
    }
}
