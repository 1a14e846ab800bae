using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure.Data.Tables;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Tests.Delivery;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Endpoints;

/// <summary>The app of <see cref="EndpointAuthTests"/>: quick retries, and a test CA trusted through Outbound:ExtraTrustedRootCertificates.</summary>
public sealed class EndpointAuthFixture : IAsyncLifetime
{
    public TestApp App { get; private set; } = null!;

    public TestCertificates Certificates { get; } = TestCertificates.Create();

    public async Task InitializeAsync() => App = await TestApp.StartAsync(new Dictionary<string, string?>
    {
        ["Delivery:Policies:standard"] = "0s,1s,1s",
        ["Delivery:AttemptTimeout"] = "00:00:05",
        ["Endpoints:HealthMinAttempts"] = "1000",
        ["Outbound:ExtraTrustedRootCertificates"] = Certificates.AuthorityPemPath,
    });

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        Certificates.Dispose();
    }
}

/// <summary>
/// SPEC §13 from outside: custom headers, OAuth 2.0 client credentials against a real token endpoint, and client
/// certificates presented to a real https receiver that requires one; each with what the API answers and stores.
/// </summary>
public sealed class EndpointAuthTests(EndpointAuthFixture fixture) : IClassFixture<EndpointAuthFixture>
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task Headers_AreSentOnEveryAttempt_ShownInTheObject_AndEncryptedAtRest()
    {
        var (teamId, client) = await NewTeamAsync();
        await using var receiver = await WebhookReceiver.StartAsync((n, context) =>
        {
            context.Response.StatusCode = n == 1 ? 500 : 200;
            return Task.CompletedTask;
        });
        var created = await CreateAsync(client, new { url = receiver.Url, headers = new Dictionary<string, string> { ["X-Api-Key"] = "key-value-7f3a", ["Authorization"] = "Token abc" } });
        Assert.Equal("key-value-7f3a", created.GetProperty("headers").GetProperty("X-Api-Key").GetString());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("oauth2").ValueKind);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("client_certificate").ValueKind);

        var raised = await DeliveryTestKit.RaiseAsync(App, teamId, webhook: null);

        await DeliveryTestKit.WaitForStatusAsync(App, Assert.Single(raised.Deliveries), "delivered");
        var received = receiver.Received;
        Assert.Equal(2, received.Count);
        Assert.All(received, r => Assert.Equal("key-value-7f3a", r.Header("X-Api-Key")));
        Assert.All(received, r => Assert.Equal("Token abc", r.Header("Authorization")));
        var row = await EndpointsTable(App).GetEntityAsync<TableEntity>(teamId, created.GetProperty("id").GetString()!);
        Assert.DoesNotContain(row.Value, p => p.Value is string s && s.Contains("key-value-7f3a", StringComparison.Ordinal));
        var read = await GetJsonAsync(client, $"/v1/endpoints/{created.GetProperty("id").GetString()}");
        Assert.Equal("Token abc", read.GetProperty("headers").GetProperty("Authorization").GetString());
    }

    [Fact]
    public async Task Headers_PatchReplacesThem_AndNullRemovesThem()
    {
        var (_, client) = await NewTeamAsync();
        var id = (await CreateAsync(client, new { url = EndpointsKit.Url, headers = new { A = "1", B = "2" } })).GetProperty("id").GetString();

        var replaced = await PatchAsync(client, id!, new { headers = new { C = "3" } });
        Assert.Equal(["C"], replaced.GetProperty("headers").EnumerateObject().Select(p => p.Name));
        var removed = await PatchAsync(client, id!, new { headers = (object?)null });
        Assert.Empty(removed.GetProperty("headers").EnumerateObject());
    }

    [Theory]
    [InlineData("""{"Content-Type":"x"}""", "headers.Content-Type")]
    [InlineData("""{"content-length":"1"}""", "headers.content-length")]
    [InlineData("""{"Host":"x"}""", "headers.Host")]
    [InlineData("""{"User-Agent":"x"}""", "headers.User-Agent")]
    [InlineData("""{"Webhook-Id":"x"}""", "headers.Webhook-Id")]
    [InlineData("""{"x-webhook-event":"x"}""", "headers.x-webhook-event")]
    [InlineData("""{"TraceParent":"x"}""", "headers.TraceParent")]
    [InlineData("""{"Bad Name":"x"}""", "headers.Bad Name")]
    [InlineData("""{"X-A":"line\nbreak"}""", "headers.X-A")]
    [InlineData("""{"X-A":5}""", "headers.X-A")]
    [InlineData("""["X-A"]""", "headers")]
    [InlineData("\"X-A: 1\"", "headers")]
    public async Task Headers_BadOrReserved_Are400NamingTheirPath(string headers, string path)
    {
        var (_, client) = await NewTeamAsync();

        var response = await client.PostAsync("/v1/endpoints", Json($$"""{"url":"{{EndpointsKit.Url}}","headers":{{headers}}}"""));

        Assert.Equal([path], (await response.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorKeys());
    }

    [Fact]
    public async Task Headers_TooManyOrTooLarge_Are400()
    {
        var (_, client) = await NewTeamAsync();
        var many = Enumerable.Range(0, 21).ToDictionary(i => $"X-H{i}", i => "v");
        var large = new Dictionary<string, string> { ["X-A"] = new string('a', 2100), ["X-B"] = new string('b', 2100) };

        foreach (var headers in new[] { many, large })
        {
            var response = await client.PostAsync("/v1/endpoints", Json(JsonSerializer.Serialize(new { url = EndpointsKit.Url, headers })));
            Assert.Equal(["headers"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorKeys());
        }
    }

    [Fact]
    public async Task Authorization_IsRefusedWhileOAuth2IsSet_InTheSameBodyOrLater()
    {
        var (_, client) = await NewTeamAsync();
        var oauth2 = new { token_url = "https://login.example/token", client_id = "a", client_secret = "b" };

        var both = await client.PostAsync("/v1/endpoints", Json(JsonSerializer.Serialize(new { url = EndpointsKit.Url, oauth2, headers = new { authorization = "x" } })));
        Assert.Equal(["headers.authorization"], (await both.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorKeys());

        var id = (await CreateAsync(client, new { url = EndpointsKit.Url, oauth2 })).GetProperty("id").GetString()!;
        var later = await client.PatchAsync($"/v1/endpoints/{id}", Json("""{"headers":{"Authorization":"x"}}"""));
        Assert.Equal(["headers.Authorization"], (await later.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorKeys());
    }

    [Fact]
    public async Task OAuth2_OneTokenIsFetched_AndSharedByTheAttempts_ItsSecretNeverShown()
    {
        var (teamId, client) = await NewTeamAsync();
        await using var tokens = await OAuth2TokenServer.StartAsync();
        await using var receiver = await BearerReceiverAsync(tokens);
        var created = await CreateAsync(client, new { url = receiver.Url, oauth2 = OAuth2(tokens, scope: "hooks.write") });
        var shown = created.GetProperty("oauth2");
        Assert.Equal(["client_id", "client_secret_set", "scope", "token_url"], shown.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.True(shown.GetProperty("client_secret_set").GetBoolean());
        Assert.DoesNotContain(OAuth2TokenServer.ClientSecret, created.GetRawText(), StringComparison.Ordinal);

        var first = await DeliveryTestKit.RaiseAsync(App, teamId, webhook: null);
        var second = await DeliveryTestKit.RaiseAsync(App, teamId, webhook: null);

        await DeliveryTestKit.WaitForStatusAsync(App, Assert.Single(first.Deliveries), "delivered");
        await DeliveryTestKit.WaitForStatusAsync(App, Assert.Single(second.Deliveries), "delivered");
        Assert.Equal(["tok-1"], tokens.Issued);
        Assert.Equal(["hooks.write"], tokens.Scopes);
        Assert.All(receiver.Received, r => Assert.Equal("Bearer tok-1", r.Header("Authorization")));
        var row = await EndpointsTable(App).GetEntityAsync<TableEntity>(teamId, created.GetProperty("id").GetString()!);
        Assert.DoesNotContain(row.Value, p => p.Value is string s && s.Contains(OAuth2TokenServer.ClientSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OAuth2_ATokenWithinAMinuteOfExpiry_IsNotReused()
    {
        var (teamId, client) = await NewTeamAsync();
        await using var tokens = await OAuth2TokenServer.StartAsync();
        tokens.ExpiresIn = 60;
        await using var receiver = await BearerReceiverAsync(tokens);
        await CreateAsync(client, new { url = receiver.Url, oauth2 = OAuth2(tokens) });

        foreach (var _ in Enumerable.Range(0, 2))
        {
            var raised = await DeliveryTestKit.RaiseAsync(App, teamId, webhook: null);
            await DeliveryTestKit.WaitForStatusAsync(App, Assert.Single(raised.Deliveries), "delivered");
        }

        Assert.Equal(["tok-1", "tok-2"], tokens.Issued);
        Assert.Equal(["Bearer tok-1", "Bearer tok-2"], receiver.Received.Select(r => r.Header("Authorization")));
    }

    [Fact]
    public async Task OAuth2_AReceiver401_DropsTheToken_AndTheRetryCarriesANewOne()
    {
        var (teamId, client) = await NewTeamAsync();
        await using var tokens = await OAuth2TokenServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync((n, context) =>
        {
            // The first token is revoked at the receiver after it was issued.
            context.Response.StatusCode = n == 1 ? 401 : tokens.IsLatest(context.Request.Headers.Authorization.ToString()) ? 200 : 401;
            return Task.CompletedTask;
        });
        await CreateAsync(client, new { url = receiver.Url, oauth2 = OAuth2(tokens) });

        var raised = await DeliveryTestKit.RaiseAsync(App, teamId, webhook: null);

        var delivered = await DeliveryTestKit.WaitForStatusAsync(App, Assert.Single(raised.Deliveries), "delivered");
        Assert.Equal(2, delivered.AttemptsMade);
        Assert.Equal(["tok-1", "tok-2"], tokens.Issued);
        Assert.Equal(["Bearer tok-1", "Bearer tok-2"], receiver.Received.Select(r => r.Header("Authorization")));
    }

    [Fact]
    public async Task OAuth2_AFailingTokenEndpoint_IsThatAttemptsFailure_RetriedLikeAnyOther()
    {
        var (teamId, client) = await NewTeamAsync();
        await using var tokens = await OAuth2TokenServer.StartAsync();
        tokens.Fail = 1;
        await using var receiver = await BearerReceiverAsync(tokens);
        await CreateAsync(client, new { url = receiver.Url, oauth2 = OAuth2(tokens) });

        var raised = await DeliveryTestKit.RaiseAsync(App, teamId, webhook: null);

        var delivery = await DeliveryTestKit.WaitForStatusAsync(App, Assert.Single(raised.Deliveries), "delivered");
        var attempts = (await DeliveryTestKit.ReadAttemptsAsync(App, delivery)).OrderBy(a => a.Attempt, StringComparer.Ordinal).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.StartsWith("oauth2: ", attempts[0].Error, StringComparison.Ordinal);
        Assert.Contains("HTTP 500 (server_error)", attempts[0].Error, StringComparison.Ordinal);
        Assert.Null(attempts[0].StatusCode);
        Assert.Equal(AttemptOutcome.Delivered, attempts[1].Outcome);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task OAuth2_PatchWithoutTheSecret_KeepsIt_NullRemovesTheClient()
    {
        var (teamId, client) = await NewTeamAsync();
        await using var tokens = await OAuth2TokenServer.StartAsync();
        await using var receiver = await BearerReceiverAsync(tokens);
        var id = (await CreateAsync(client, new { url = receiver.Url, oauth2 = new { token_url = "http://127.0.0.1:1/elsewhere", client_id = "other", client_secret = "x" } }))
            .GetProperty("id").GetString()!;

        var noSecret = await client.PatchAsync($"/v1/endpoints/{id}", Json(JsonSerializer.Serialize(new { oauth2 = new { token_url = tokens.Url, client_id = OAuth2TokenServer.ClientId } })));
        await noSecret.AssertJsonAsync(HttpStatusCode.OK);
        var patched = await PatchAsync(client, id, new { oauth2 = OAuth2(tokens) });
        Assert.Equal(tokens.Url, patched.GetProperty("oauth2").GetProperty("token_url").GetString());
        var raised = await DeliveryTestKit.RaiseAsync(App, teamId, webhook: null);
        await DeliveryTestKit.WaitForStatusAsync(App, Assert.Single(raised.Deliveries), "delivered");

        var removed = await PatchAsync(client, id, new { oauth2 = (object?)null });
        Assert.Equal(JsonValueKind.Null, removed.GetProperty("oauth2").ValueKind);
        var again = await client.PatchAsync($"/v1/endpoints/{id}", Json(JsonSerializer.Serialize(new { oauth2 = new { token_url = tokens.Url, client_id = "a" } })));
        Assert.Equal(["oauth2.client_secret"], (await again.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorKeys());
    }

    [Theory]
    [InlineData("""{"token_url":"ftp://x/token","client_id":"a","client_secret":"b"}""", "oauth2.token_url")]
    [InlineData("""{"token_url":"https://x/token#f","client_id":"a","client_secret":"b"}""", "oauth2.token_url")]
    [InlineData("""{"client_id":"a","client_secret":"b"}""", "oauth2.token_url")]
    [InlineData("""{"token_url":"https://x/token","client_secret":"b"}""", "oauth2.client_id")]
    [InlineData("""{"token_url":"https://x/token","client_id":7,"client_secret":"b"}""", "oauth2.client_id")]
    [InlineData("""{"token_url":"https://x/token","client_id":"a"}""", "oauth2.client_secret")]
    [InlineData("""{"token_url":"https://x/token","client_id":"a","client_secret":"b","scope":5}""", "oauth2.scope")]
    [InlineData("\"https://x/token\"", "oauth2")]
    public async Task OAuth2_BadFields_Are400NamingTheirPath(string oauth2, string path)
    {
        var (_, client) = await NewTeamAsync();

        var response = await client.PostAsync("/v1/endpoints", Json($$"""{"url":"{{EndpointsKit.Url}}","oauth2":{{oauth2}}}"""));

        Assert.Equal([path], (await response.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorKeys());
    }

    [Fact]
    public async Task ClientCertificate_IsPresentedToAnHttpsReceiver_AndShownWithoutItsKey()
    {
        var (teamId, client) = await NewTeamAsync();
        using var server = fixture.Certificates.IssueServer();
        using var certificate = fixture.Certificates.IssueClient("CN=webhooks-sender");
        await using var receiver = await TlsReceiver.StartAsync(server, certificate.Thumbprint);
        var created = await CreateAsync(client, new { url = receiver.Url, client_certificate = new { pem = TestCertificates.Pem(certificate) } });
        var shown = created.GetProperty("client_certificate");
        Assert.Equal(["not_after", "subject", "thumbprint"], shown.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("CN=webhooks-sender", shown.GetProperty("subject").GetString());
        Assert.Equal(certificate.Thumbprint, shown.GetProperty("thumbprint").GetString());
        Assert.DoesNotContain("PRIVATE KEY", created.GetRawText(), StringComparison.Ordinal);

        var raised = await DeliveryTestKit.RaiseAsync(App, teamId, webhook: null);

        var delivered = await DeliveryTestKit.WaitForStatusAsync(App, Assert.Single(raised.Deliveries), "delivered");
        Assert.Equal(1, delivered.AttemptsMade);
        Assert.Equal([certificate.Thumbprint], receiver.Presented);
        var row = await EndpointsTable(App).GetEntityAsync<TableEntity>(teamId, created.GetProperty("id").GetString()!);
        Assert.DoesNotContain(row.Value, p => p.Value is string s && s.Contains("PRIVATE KEY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientCertificate_WrongOrMissing_IsAFailedAttempt()
    {
        var (teamId, client) = await NewTeamAsync();
        using var server = fixture.Certificates.IssueServer();
        using var expected = fixture.Certificates.IssueClient("CN=expected");
        using var wrong = fixture.Certificates.IssueClient("CN=wrong");
        await using var receiver = await TlsReceiver.StartAsync(server, expected.Thumbprint);
        await CreateAsync(client, new { url = receiver.Url, client_certificate = new { pem = TestCertificates.Pem(wrong) } });
        await CreateAsync(client, new { url = receiver.Url });

        var raised = await DeliveryTestKit.RaiseAsync(App, teamId, webhook: null);

        Assert.Equal(2, raised.Deliveries.Count);
        var outcomes = new List<string>();
        foreach (var delivery in raised.Deliveries)
        {
            var failed = await DeliveryTestKit.WaitForStatusAsync(App, delivery, "failed");
            Assert.Equal(3, failed.AttemptsMade);
            outcomes.Add((await DeliveryTestKit.ReadAttemptsAsync(App, delivery)).Select(a => a.Outcome).Distinct().Single());
        }
        Assert.Equal([AttemptOutcome.ConnectionError, AttemptOutcome.HttpError], outcomes.Order(StringComparer.Ordinal));
        Assert.Contains(wrong.Thumbprint, receiver.Presented);
        Assert.DoesNotContain(expected.Thumbprint, receiver.Presented);
    }

    [Fact]
    public async Task ClientCertificate_ExpiredUnreadableOrMismatched_Is400()
    {
        var (_, client) = await NewTeamAsync();
        using var expired = fixture.Certificates.IssueClient("CN=old", TimeProvider.System.GetUtcNow().AddDays(-10), TimeProvider.System.GetUtcNow().AddDays(-1));
        using var one = fixture.Certificates.IssueClient("CN=one");
        using var other = fixture.Certificates.IssueClient("CN=other");
        using var otherKey = other.GetRSAPrivateKey()!;
        var mismatched = one.ExportCertificatePem() + "\n" + otherKey.ExportPkcs8PrivateKeyPem();
        var cases = new (object Value, string Path, string Says)[]
        {
            (new { pem = TestCertificates.Pem(expired) }, "client_certificate.pem", "expired"),
            (new { pem = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----" }, "client_certificate.pem", "not readable"),
            (new { pem = one.ExportCertificatePem() }, "client_certificate.pem", "not readable"),
            (new { pem = mismatched }, "client_certificate.pem", "does not match"),
            (new { pem = 5 }, "client_certificate.pem", "string"),
            (new { }, "client_certificate.pem", "required"),
            ("pem", "client_certificate", "object"),
        };

        foreach (var (value, path, says) in cases)
        {
            var response = await client.PostAsync("/v1/endpoints", Json(JsonSerializer.Serialize(new { url = EndpointsKit.Url, client_certificate = value })));
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal([path], problem.ErrorKeys());
            Assert.Contains(says, problem.GetProperty("errors").GetProperty(path)[0].GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NewFields_OfAnotherTeamsEndpoint_Are404()
    {
        var (_, owner) = await NewTeamAsync();
        var (_, stranger) = await NewTeamAsync();
        var id = (await CreateAsync(owner, new { url = EndpointsKit.Url, headers = new { X = "1" } })).GetProperty("id").GetString();

        var response = await stranger.PatchAsync($"/v1/endpoints/{id}", Json("""{"headers":{"X":"2"}}"""));

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("1", (await GetJsonAsync(owner, $"/v1/endpoints/{id}")).GetProperty("headers").GetProperty("X").GetString());
    }

    internal static object OAuth2(OAuth2TokenServer tokens, string? scope = null) =>
        new { token_url = tokens.Url, client_id = OAuth2TokenServer.ClientId, client_secret = OAuth2TokenServer.ClientSecret, scope };

    /// <summary>A receiver that accepts only the token the token server issued last.</summary>
    private static Task<WebhookReceiver> BearerReceiverAsync(OAuth2TokenServer tokens) =>
        WebhookReceiver.StartAsync((_, context) =>
        {
            context.Response.StatusCode = tokens.IsLatest(context.Request.Headers.Authorization.ToString()) ? 200 : 401;
            return Task.CompletedTask;
        });

    private static TableClient EndpointsTable(TestApp app) =>
        new TableServiceClient(app.ConnectionString).GetTableClient(app.Prefix + StorageNames.EndpointsTable);

    private async Task<(string TeamId, HttpClient Client)> NewTeamAsync()
    {
        using var admin = App.Client(TestApp.AdminKey);
        var team = await (await admin.PostAsync("/v1/admin/teams", Json($$"""{"name": "auth-{{Guid.NewGuid():N}}"}"""))).AssertJsonAsync(HttpStatusCode.Created);
        return (team.GetProperty("id").GetString()!, App.Client(team.GetProperty("api_key").GetString()));
    }

    private static async Task<JsonElement> CreateAsync(HttpClient client, object body) =>
        await (await client.PostAsync("/v1/endpoints", Json(JsonSerializer.Serialize(body)))).AssertJsonAsync(HttpStatusCode.Created);

    private static async Task<JsonElement> PatchAsync(HttpClient client, string id, object body) =>
        await (await client.PatchAsync($"/v1/endpoints/{id}", Json(JsonSerializer.Serialize(body)))).AssertJsonAsync(HttpStatusCode.OK);

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path) =>
        await (await client.GetAsync(path)).AssertJsonAsync(HttpStatusCode.OK);
}
