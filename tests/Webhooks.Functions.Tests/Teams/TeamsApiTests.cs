using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Data.Tables;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Teams;

public sealed class TeamsApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private TestApp App => fixture.App;

    private async Task<JsonElement> CreateTeamAsync(string name = "acme")
    {
        using var admin = App.Client(TestApp.AdminKey);
        var response = await admin.PostAsync("/v1/admin/teams", Json($$"""{"name":"{{name}}"}"""));
        return await response.AssertJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task AdminCreateTeam_ValidName_ReturnsKeyAndSecretOnce()
    {
        var team = await CreateTeamAsync("Acme Corp");

        Assert.Matches("^team_[a-z0-9]{16}$", team.GetProperty("id").GetString());
        Assert.Equal("Acme Corp", team.GetProperty("name").GetString());
        Assert.StartsWith("whk_", team.GetProperty("api_key").GetString(), StringComparison.Ordinal);
        var secret = team.GetProperty("signing_secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);

        using var client = App.Client(team.GetProperty("api_key").GetString());
        var me = await (await client.GetAsync("/v1/team")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(team.GetProperty("id").GetString(), me.GetProperty("id").GetString());
        Assert.Equal("standard", me.GetProperty("retry_policy").GetString());
        var current = await (await client.GetAsync("/v1/team/signing-secret")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(secret, current.GetProperty("signing_secret").GetString());
    }

    [Fact]
    public async Task AdminCreateTeam_AnswersTheTeamsLocationUnderV1Admin()
    {
        using var admin = App.Client(TestApp.AdminKey);
        using var response = await admin.PostAsync("/v1/admin/teams", Json("""{"name":"located"}"""));
        var team = await response.AssertJsonAsync(HttpStatusCode.Created);

        Assert.Equal($"/v1/admin/teams/{team.GetProperty("id").GetString()}", response.Headers.Location?.ToString());
    }

    /// <summary>
    /// The routes before /v1 are gone: the Functions host refuses any function route that begins with <c>admin</c>, so
    /// they could never be served in Azure, and the standalone app must not answer what a deployed app cannot.
    /// </summary>
    [Theory]
    [InlineData("POST", "/admin/teams", """{"name":"old-route"}""")]
    [InlineData("DELETE", "/admin/teams/team_0000000000000000", null)]
    public async Task AdminRoutesOutsideV1_WithTheAdminKey_Answer404AndCreateNothing(string method, string path, string? body)
    {
        using var admin = App.Client(TestApp.AdminKey);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : Json(body) };

        await (await admin.SendAsync(request)).AssertProblemAsync(HttpStatusCode.NotFound);
        var service = new TableServiceClient(App.ConnectionString);
        await foreach (var row in service.GetTableClient(App.Prefix + "teams").QueryAsync<TableEntity>())
        {
            Assert.NotEqual("old-route", row.GetString("Name"));
        }
    }

    [Fact]
    public async Task AdminCreateTeam_StoresOnlyHashOfKeyAndEncryptedSecret()
    {
        var team = await CreateTeamAsync();
        var apiKey = team.GetProperty("api_key").GetString()!;
        var secret = team.GetProperty("signing_secret").GetString()!;

        var service = new TableServiceClient(App.ConnectionString);
        var everything = new List<string>();
        foreach (var table in new[] { "apikeys", "teams" })
        {
            await foreach (var row in service.GetTableClient(App.Prefix + table).QueryAsync<TableEntity>())
            {
                everything.Add(JsonSerializer.Serialize(row));
            }
        }
        var stored = string.Join("\n", everything);
        Assert.DoesNotContain(apiKey, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(apiKey[4..], stored, StringComparison.Ordinal);
        Assert.DoesNotContain(secret["whsec_".Length..], stored, StringComparison.Ordinal);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(apiKey)));
        Assert.Contains(hash, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminCreateTeam_WithoutOrWrongAdminKey_Returns401()
    {
        using var anonymous = App.Client(apiKey: null);
        var problem = await (await anonymous.PostAsync("/v1/admin/teams", Json("""{"name":"x"}"""))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.NotNull(problem.GetProperty("detail").GetString());
        using var devKey = App.Client(TestApp.DevApiKey);
        await (await devKey.PostAsync("/v1/admin/teams", Json("""{"name":"x"}"""))).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AdminCreateTeam_MissingName_Returns400NamingField()
    {
        using var admin = App.Client(TestApp.AdminKey);
        var problem = await (await admin.PostAsync("/v1/admin/teams", Json("""{"name":7}"""))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["name"], problem.ErrorKeys());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("whk_not_a_key")]
    [InlineData("")]
    public async Task V1Route_MissingOrWrongKey_Returns401WithChallenge(string? apiKey)
    {
        using var client = App.Client(apiKey: null);
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + apiKey);
        }
        var response = await client.GetAsync("/v1/team");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task DevTeam_InDevelopment_AuthenticatesWithConfiguredKey()
    {
        using var client = App.Client(TestApp.DevApiKey);
        var me = await (await client.GetAsync("/v1/team")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("dev", me.GetProperty("name").GetString());
    }

    [Fact]
    public async Task PatchTeam_ValidSettings_AreReturnedAndKept()
    {
        var team = await CreateTeamAsync();
        using var client = App.Client(team.GetProperty("api_key").GetString());
        var patched = await (await client.PatchAsync("/v1/team", Json("""{"default_webhook_url":"http://127.0.0.1:9/hooks","retry_policy":"short"}""")))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("http://127.0.0.1:9/hooks", patched.GetProperty("default_webhook_url").GetString());
        Assert.Equal("short", patched.GetProperty("retry_policy").GetString());

        var cleared = await (await client.PatchAsync("/v1/team", Json("""{"default_webhook_url":null}"""))).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("default_webhook_url").ValueKind);
        Assert.Equal("short", cleared.GetProperty("retry_policy").GetString());
    }

    [Fact]
    public async Task PatchTeam_OperationsWebhookUrl_IsShownKeptAndCleared_WithoutTouchingTheOthers()
    {
        var team = await CreateTeamAsync();
        using var client = App.Client(team.GetProperty("api_key").GetString());
        var fresh = await (await client.GetAsync("/v1/team")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, fresh.GetProperty("operations_webhook_url").ValueKind);
        await (await client.PatchAsync("/v1/team", Json("""{"default_webhook_url":"https://example.com/default"}"""))).AssertJsonAsync(HttpStatusCode.OK);

        var patched = await (await client.PatchAsync("/v1/team", Json("""{"operations_webhook_url":"https://example.com/ops"}""")))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("https://example.com/ops", patched.GetProperty("operations_webhook_url").GetString());
        Assert.Equal("https://example.com/default", patched.GetProperty("default_webhook_url").GetString());
        var read = await (await client.GetAsync("/v1/team")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("https://example.com/ops", read.GetProperty("operations_webhook_url").GetString());

        var cleared = await (await client.PatchAsync("/v1/team", Json("""{"operations_webhook_url":null}"""))).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("operations_webhook_url").ValueKind);
        Assert.Equal("https://example.com/default", cleared.GetProperty("default_webhook_url").GetString());
    }

    [Theory]
    [InlineData("""{"retry_policy":"forever"}""", "retry_policy")]
    [InlineData("""{"default_webhook_url":"ftp://example.com/x"}""", "default_webhook_url")]
    [InlineData("""{"default_webhook_url":"https://user:pw@example.com/x"}""", "default_webhook_url")]
    [InlineData("""{"default_webhook_url":"https://example.com/x#frag"}""", "default_webhook_url")]
    [InlineData("""{"default_webhook_url":12}""", "default_webhook_url")]
    [InlineData("""{"operations_webhook_url":"ftp://example.com/x"}""", "operations_webhook_url")]
    [InlineData("""{"operations_webhook_url":"https://example.com/x#frag"}""", "operations_webhook_url")]
    [InlineData("""{"operations_webhook_url":"https://user:pw@example.com/x"}""", "operations_webhook_url")]
    [InlineData("""{"operations_webhook_url":false}""", "operations_webhook_url")]
    public async Task PatchTeam_InvalidField_Returns400NamingField(string body, string field)
    {
        using var client = App.Client();
        var problem = await (await client.PatchAsync("/v1/team", Json(body))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ErrorKeys());
    }

    [Fact]
    public async Task Post_MalformedJson_Returns400Problem()
    {
        using var client = App.Client();
        var problem = await (await client.PatchAsync("/v1/team", Json("""{"retry_policy": """))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("JSON", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WrongContentType_Returns415Problem()
    {
        using var client = App.Client();
        var content = new StringContent("retry_policy=short", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        await (await client.PatchAsync("/v1/team", content)).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Post_BodyOver8MiB_Returns413Problem()
    {
        using var client = App.Client();
        // As a well-behaved client of a large upload would: the server can refuse before the body is sent.
        client.DefaultRequestHeaders.ExpectContinue = true;
        var huge = new ByteArrayContent(new byte[9 * 1024 * 1024]);
        huge.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await (await client.PatchAsync("/v1/team", huge)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task UnknownRoute_Returns404Problem_AndWrongMethod405Problem()
    {
        using var client = App.Client();
        await (await client.GetAsync("/v1/nothing-here")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync("/v1/team")).AssertProblemAsync(HttpStatusCode.MethodNotAllowed);
    }
}
