using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Reliability;

/// <summary>
/// SPEC §2 for every route: no key, a wrong key, a key that is not a bearer token and the admin key on <c>/v1</c> are a
/// 401 with <c>WWW-Authenticate: Bearer</c>; another team's key on team A's resources is a 404 exactly like a missing
/// one; a team key on <c>/v1/admin</c> is a 401. None of them changes anything.
/// </summary>
public sealed class AuthMatrixTests(SecuritySuiteFixture fixture) : IClassFixture<SecuritySuiteFixture>
{
    /// <summary>A route, with a body that would be valid, and whether its path names a resource of team A.</summary>
    private sealed record Route(string Method, string Path, string? Body, bool NamesResource = false)
    {
        public bool IsAdmin => Path.StartsWith("/v1/admin/", StringComparison.Ordinal);
    }

    private static readonly Dictionary<string, Route> Routes = new(StringComparer.Ordinal)
    {
        ["GET /v1/team"] = new("GET", "/v1/team", null),
        ["PATCH /v1/team"] = new("PATCH", "/v1/team", "{\"retry_policy\":\"short\"}"),
        ["GET /v1/team/signing-secret"] = new("GET", "/v1/team/signing-secret", null),
        ["POST /v1/team/signing-secret/rotate"] = new("POST", "/v1/team/signing-secret/rotate", null),
        ["POST /v1/batches"] = new("POST", "/v1/batches", "{\"items\":[{\"url\":\"http://example.com/\"}]}"),
        ["GET /v1/batches/{id}"] = new("GET", "/v1/batches/{batch}", null, NamesResource: true),
        ["GET /v1/batches/{id}/items"] = new("GET", "/v1/batches/{batch}/items", null, NamesResource: true),
        ["GET /v1/batches/{id}/items/{item}/content"] = new("GET", "/v1/batches/{batch}/items/first/content", null, NamesResource: true),
        ["POST /v1/crawls"] = new("POST", "/v1/crawls", "{\"start_url\":\"http://example.com/\",\"max_pages\":1}"),
        ["POST /v1/web/crawl"] = new("POST", "/v1/web/crawl", "{\"url\":\"http://example.com/\",\"maxPages\":1}"),
        ["GET /v1/crawls/{id}"] = new("GET", "/v1/crawls/{crawl}", null, NamesResource: true),
        ["GET /v1/crawls/{id}/pages"] = new("GET", "/v1/crawls/{crawl}/pages", null, NamesResource: true),
        ["GET /v1/events"] = new("GET", "/v1/events", null),
        ["GET /v1/events/{id}"] = new("GET", "/v1/events/{event}", null, NamesResource: true),
        ["POST /v1/events/{id}/redeliver"] = new("POST", "/v1/events/{event}/redeliver", "{}", NamesResource: true),
        ["GET /v1/event-types"] = new("GET", "/v1/event-types", null),
        ["GET /v1/deliveries"] = new("GET", "/v1/deliveries", null),
        ["POST /v1/deliveries/recover"] = new("POST", "/v1/deliveries/recover", "{\"since\":\"2025-01-01T00:00:00Z\",\"until\":\"2025-01-02T00:00:00Z\"}"),
        ["POST /v1/endpoints"] = new("POST", "/v1/endpoints", "{\"url\":\"https://example.com/hooks\"}"),
        ["GET /v1/endpoints"] = new("GET", "/v1/endpoints", null),
        ["GET /v1/endpoints/{id}"] = new("GET", "/v1/endpoints/{endpoint}", null, NamesResource: true),
        ["PATCH /v1/endpoints/{id}"] = new("PATCH", "/v1/endpoints/{endpoint}", "{\"description\":\"taken over\"}", NamesResource: true),
        ["PATCH /v1/endpoints/{id} headers"] = new("PATCH", "/v1/endpoints/{endpoint}", "{\"headers\":{\"X-Taken\":\"over\"}}", NamesResource: true),
        ["PATCH /v1/endpoints/{id} oauth2"] = new("PATCH", "/v1/endpoints/{endpoint}",
            "{\"oauth2\":{\"token_url\":\"https://login.example.com/token\",\"client_id\":\"a\",\"client_secret\":\"b\"}}", NamesResource: true),
        ["DELETE /v1/endpoints/{id}"] = new("DELETE", "/v1/endpoints/{endpoint}", null, NamesResource: true),
        ["POST /v1/endpoints/{id}/enable"] = new("POST", "/v1/endpoints/{endpoint}/enable", "{\"recover\":true}", NamesResource: true),
        ["GET /v1/endpoints/{id}/health"] = new("GET", "/v1/endpoints/{endpoint}/health", null, NamesResource: true),
        ["GET /v1/endpoints/{id}/signing-secret"] = new("GET", "/v1/endpoints/{endpoint}/signing-secret", null, NamesResource: true),
        ["POST /v1/endpoints/{id}/signing-secret/rotate"] = new("POST", "/v1/endpoints/{endpoint}/signing-secret/rotate", null, NamesResource: true),
        ["GET /v1/endpoints/{id}/public-keys"] = new("GET", "/v1/endpoints/{endpoint}/public-keys", null, NamesResource: true),
        ["GET /v1/team/public-keys"] = new("GET", "/v1/team/public-keys", null),
        ["GET /v1/stats"] = new("GET", "/v1/stats", null),
        ["GET /v1/stats?endpoint_id={id}"] = new("GET", "/v1/stats?endpoint_id={endpoint}", null, NamesResource: true),
        ["POST /v1/webhooks/test"] = new("POST", "/v1/webhooks/test", "{\"url\":\"http://127.0.0.1:9/never\"}"),
        ["POST /v1/admin/teams"] = new("POST", "/v1/admin/teams", "{\"name\":\"intruder\"}"),
        ["DELETE /v1/admin/teams/{id}"] = new("DELETE", "/v1/admin/teams/{team}", null),
    };

    /// <summary>Every route with every credential that must be refused.</summary>
    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var (name, route) in Routes)
        {
            foreach (var credential in new[] { "none", "wrong key", "not a bearer token", "empty bearer token" })
            {
                cases.Add(name, credential);
            }
            cases.Add(name, route.IsAdmin ? "team key" : "admin key");
            if (route.NamesResource)
            {
                cases.Add(name, "other team's key");
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Route_RefusedCredential_Answers401Or404_AndChangesNothing(string routeName, string credential)
    {
        var route = Routes[routeName];
        var before = await fixture.SnapshotAsync();

        using var client = fixture.App.Client(apiKey: null);
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), Fill(route.Path));
        if (route.Body is not null)
        {
            request.Content = new StringContent(route.Body, Encoding.UTF8, "application/json");
        }
        request.Headers.Authorization = credential switch
        {
            "none" => null,
            "wrong key" => new AuthenticationHeaderValue("Bearer", "whk_" + new string('x', 40)),
            "not a bearer token" => new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("dev:" + TestApp.DevApiKey))),
            "empty bearer token" => new AuthenticationHeaderValue("Bearer"),
            "admin key" => new AuthenticationHeaderValue("Bearer", TestApp.AdminKey),
            "team key" => new AuthenticationHeaderValue("Bearer", TestApp.DevApiKey),
            "other team's key" => new AuthenticationHeaderValue("Bearer", fixture.OtherTeamKey),
            _ => throw new ArgumentOutOfRangeException(nameof(credential), credential, null),
        };
        using var response = await client.SendAsync(request);

        if (credential == "other team's key")
        {
            await response.AssertProblemAsync(HttpStatusCode.NotFound);
        }
        else
        {
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        }
        var after = await fixture.SnapshotAsync();
        Assert.True(before == after, $"{routeName} with {credential} changed storage");
    }

    [Theory]
    [InlineData("/v1/events")]
    [InlineData("/v1/deliveries")]
    [InlineData("/v1/endpoints")]
    public async Task List_OtherTeamsKey_ShowsNoneOfTeamAsEntries(string path)
    {
        using var owner = fixture.App.Client();
        using var other = fixture.App.Client(fixture.OtherTeamKey);
        var mine = await (await owner.GetAsync(path)).AssertJsonAsync(HttpStatusCode.OK);
        var theirs = await (await other.GetAsync(path)).AssertJsonAsync(HttpStatusCode.OK);

        var marker = path == "/v1/endpoints" ? fixture.EndpointId : fixture.EventId;
        Assert.Contains(mine.GetProperty("data").EnumerateArray(), e => JsonText(e).Contains(marker, StringComparison.Ordinal));
        Assert.DoesNotContain(theirs.GetProperty("data").EnumerateArray(), e => JsonText(e).Contains(marker, StringComparison.Ordinal));
    }

    private static string JsonText(JsonElement element) => element.GetRawText();

    private string Fill(string path) => path
        .Replace("{batch}", fixture.BatchId, StringComparison.Ordinal)
        .Replace("{crawl}", fixture.CrawlId, StringComparison.Ordinal)
        .Replace("{event}", fixture.EventId, StringComparison.Ordinal)
        .Replace("{endpoint}", fixture.EndpointId, StringComparison.Ordinal)
        .Replace("{team}", fixture.OtherTeamId, StringComparison.Ordinal);
}
