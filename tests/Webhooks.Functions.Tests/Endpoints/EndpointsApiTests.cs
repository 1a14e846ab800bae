using System.Net;
using System.Text.Json;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Endpoints.EndpointsKit;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Endpoints;

/// <summary>
/// SPEC §8 from outside: create, list, get, change an endpoint, with every validation rule, the 50-endpoint cap and
/// Idempotency-Key. Delete, enable and health run code of the delivery side; here only their answers that come before it.
/// </summary>
public sealed class EndpointsApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task Create_EveryField_Returns201WithLocationAndTheEndpointObject()
    {
        using var client = await NewTeamClientAsync(App);

        var response = await client.PostAsync("/v1/endpoints", Json($$"""
            {"url":"{{Url}}","description":"Orders","event_types":["event.crawl.failed","event.batch.completed"],"rate_limit_per_s":25}
            """));
        var created = await response.AssertJsonAsync(HttpStatusCode.Created);

        var id = Id(created);
        Assert.Matches("^ep_[a-z0-9]{16}$", id);
        Assert.Equal($"/v1/endpoints/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(
            ["asymmetric_signing", "client_certificate", "created_at", "description", "disabled_reason", "event_types", "headers", "id", "oauth2", "object", "rate_limit_per_s", "status", "updated_at", "url"],
            created.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("endpoint", created.GetProperty("object").GetString());
        Assert.Equal(Url, created.GetProperty("url").GetString());
        Assert.Equal("Orders", created.GetProperty("description").GetString());
        Assert.Equal(["event.crawl.failed", "event.batch.completed"], created.GetProperty("event_types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(25, created.GetProperty("rate_limit_per_s").GetInt32());
        Assert.Equal("enabled", created.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("disabled_reason").ValueKind);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", created.GetProperty("created_at").GetString());
        Assert.Equal(created.GetProperty("created_at").GetString(), created.GetProperty("updated_at").GetString());

        var read = await (await client.GetAsync($"/v1/endpoints/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(created.GetRawText(), read.GetRawText());
    }

    [Fact]
    public async Task Create_OnlyUrl_ReceivesEveryTypeUnlimited()
    {
        using var client = await NewTeamClientAsync(App);

        var created = await CreateAsync(client);

        Assert.Equal(JsonValueKind.Null, created.GetProperty("event_types").ValueKind);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("rate_limit_per_s").ValueKind);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("description").ValueKind);
        Assert.Equal("enabled", created.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("""{}""", "url")]
    [InlineData("""{"url":null}""", "url")]
    [InlineData("""{"url":12}""", "url")]
    [InlineData("""{"url":""}""", "url")]
    [InlineData("""{"url":"/hooks"}""", "url")]
    [InlineData("""{"url":"ftp://example.com/h"}""", "url")]
    [InlineData("""{"url":"https://example.com/h#frag"}""", "url")]
    [InlineData("""{"url":"https://user:pw@example.com/h"}""", "url")]
    [InlineData("""{"url":"https://example.com/h","event_types":[]}""", "event_types")]
    [InlineData("""{"url":"https://example.com/h","event_types":"event.batch.completed"}""", "event_types")]
    [InlineData("""{"url":"https://example.com/h","event_types":{"type":"event.batch.completed"}}""", "event_types")]
    [InlineData("""{"url":"https://example.com/h","event_types":["event.batch.completed",7]}""", "event_types[1]")]
    [InlineData("""{"url":"https://example.com/h","event_types":["event.batch.completed","event.batch.exploded"]}""", "event_types[1]")]
    [InlineData("""{"url":"https://example.com/h","event_types":["event.batch.completed","event.crawl.failed","event.batch.completed"]}""", "event_types[2]")]
    [InlineData("""{"url":"https://example.com/h","rate_limit_per_s":0}""", "rate_limit_per_s")]
    [InlineData("""{"url":"https://example.com/h","rate_limit_per_s":10001}""", "rate_limit_per_s")]
    [InlineData("""{"url":"https://example.com/h","rate_limit_per_s":-1}""", "rate_limit_per_s")]
    [InlineData("""{"url":"https://example.com/h","rate_limit_per_s":2.5}""", "rate_limit_per_s")]
    [InlineData("""{"url":"https://example.com/h","rate_limit_per_s":"10"}""", "rate_limit_per_s")]
    [InlineData("""{"url":"https://example.com/h","description":5}""", "description")]
    public async Task Create_InvalidField_Returns400NamingItsPath_AndCreatesNothing(string body, string path)
    {
        using var client = await NewTeamClientAsync(App);

        var problem = await (await client.PostAsync("/v1/endpoints", Json(body))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([path], problem.ErrorKeys());
        Assert.Empty(Ids(await (await client.GetAsync("/v1/endpoints")).AssertJsonAsync(HttpStatusCode.OK)));
    }

    [Fact]
    public async Task Create_DescriptionAndUrlAtTheirLimits_Accepted_OneOver_Refused()
    {
        using var client = await NewTeamClientAsync(App);
        var longUrl = "https://example.com/" + new string('a', 2048 - "https://example.com/".Length);

        await CreateAsync(client, JsonSerializer.Serialize(new { url = longUrl, description = new string('d', 500) }));
        var problem = await (await client.PostAsync("/v1/endpoints", Json(JsonSerializer.Serialize(new { url = longUrl + "a", description = new string('d', 501) }))))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["description", "url"], problem.ErrorKeys().Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("event.endpoint.failing")]
    [InlineData("event.endpoint.disabled")]
    [InlineData("event.delivery.exhausted")]
    public async Task Create_OperationalEventType_Returns400SayingWhereTheyGo(string type)
    {
        using var client = await NewTeamClientAsync(App);

        var problem = await (await client.PostAsync("/v1/endpoints", Json($$"""{"url":"{{Url}}","event_types":["event.batch.completed","{{type}}"]}""")))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        var message = Assert.Single(problem.GetProperty("errors").GetProperty("event_types[1]").EnumerateArray()).GetString();
        Assert.Contains("operations_webhook_url", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_51stEndpoint_Returns400_AndTheTeamKeeps50()
    {
        using var client = await NewTeamClientAsync(App);
        for (var i = 0; i < 50; i++)
        {
            await CreateAsync(client, $$"""{"url":"{{Url}}/{{i}}"}""");
        }

        var problem = await (await client.PostAsync("/v1/endpoints", Json($$"""{"url":"{{Url}}/50"}"""))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("50", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var all = await (await client.GetAsync("/v1/endpoints?limit=100")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(50, Ids(all).Length);
    }

    [Fact]
    public async Task Create_51stWithIdempotencyKey_RefusalIsNotRemembered()
    {
        using var client = await NewTeamClientAsync(App);
        for (var i = 0; i < 50; i++)
        {
            await CreateAsync(client, $$"""{"url":"{{Url}}/{{i}}"}""");
        }

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/endpoints") { Content = Json($$"""{"url":"{{Url}}/50"}""") };
            request.Headers.Add("Idempotency-Key", "the-51st");
            // The second time is 400 again, not 409 "still being processed" nor a replay: the refusal freed the key.
            await (await client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task Create_SameIdempotencyKeyAndBody_ReturnsTheFirstAnswer_AndCreatesOne()
    {
        using var client = await NewTeamClientAsync(App);
        var body = $$"""{"url":"{{Url}}","event_types":["event.batch.completed"]}""";

        var answers = new List<(HttpResponseMessage Response, string Text)>();
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/endpoints") { Content = Json(body) };
            request.Headers.Add("Idempotency-Key", "create-once");
            var response = await client.SendAsync(request);
            answers.Add((response, await response.Content.ReadAsStringAsync()));
        }

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.Response.StatusCode));
        Assert.Equal(answers[0].Text, answers[1].Text);
        Assert.Equal(answers[0].Response.Headers.Location, answers[1].Response.Headers.Location);
        Assert.Equal("true", answers[1].Response.Headers.GetValues("Idempotent-Replayed").Single());
        var all = await (await client.GetAsync("/v1/endpoints")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Single(Ids(all));
    }

    [Fact]
    public async Task Create_SameIdempotencyKeyOtherBody_Returns422_AndCreatesNothingMore()
    {
        using var client = await NewTeamClientAsync(App);
        foreach (var (url, status) in new[] { (Url + "/a", HttpStatusCode.Created), (Url + "/b", HttpStatusCode.UnprocessableEntity) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/endpoints") { Content = Json($$"""{"url":"{{url}}"}""") };
            request.Headers.Add("Idempotency-Key", "one-key");
            Assert.Equal(status, (await client.SendAsync(request)).StatusCode);
        }

        Assert.Single(Ids(await (await client.GetAsync("/v1/endpoints")).AssertJsonAsync(HttpStatusCode.OK)));
    }

    [Fact]
    public async Task List_PagedByCursor_OldestFirst_EveryEndpointOnce()
    {
        using var client = await NewTeamClientAsync(App);
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(Id(await CreateAsync(client, $$"""{"url":"{{Url}}/{{i}}"}""")));
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await client.GetAsync("/v1/endpoints?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))))
                .AssertJsonAsync(HttpStatusCode.OK);
            seen.AddRange(Ids(page));
            cursor = page.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(created, seen);
        var whole = await (await client.GetAsync("/v1/endpoints")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(created, Ids(whole));
        Assert.Equal(JsonValueKind.Null, whole.GetProperty("next_cursor").ValueKind);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=not-a-cursor!", "cursor")]
    [InlineData("cursor=YzE6ZXZlbnRfeA", "cursor")]
    [InlineData("cursor=YzE6ZW5kcG9pbnRfeA", "cursor")]
    public async Task List_BadQuery_Returns400NamingIt(string query, string name)
    {
        using var client = await NewTeamClientAsync(App);

        var problem = await (await client.GetAsync("/v1/endpoints?" + query)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([name], problem.ErrorKeys());
    }

    [Fact]
    public async Task Patch_SentFieldsChange_OthersStay_NullClears()
    {
        using var client = await NewTeamClientAsync(App);
        var id = Id(await CreateAsync(client, $$"""{"url":"{{Url}}","description":"Orders","event_types":["event.batch.completed"],"rate_limit_per_s":5}"""));

        var renamed = await (await client.PatchAsync($"/v1/endpoints/{id}", Json("""{"url":"https://other.example/in","description":"Billing"}""")))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("https://other.example/in", renamed.GetProperty("url").GetString());
        Assert.Equal("Billing", renamed.GetProperty("description").GetString());
        Assert.Equal(["event.batch.completed"], renamed.GetProperty("event_types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(5, renamed.GetProperty("rate_limit_per_s").GetInt32());

        var cleared = await (await client.PatchAsync($"/v1/endpoints/{id}", Json("""{"description":null,"event_types":null,"rate_limit_per_s":null}""")))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("description").ValueKind);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("event_types").ValueKind);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("rate_limit_per_s").ValueKind);
        Assert.Equal("https://other.example/in", cleared.GetProperty("url").GetString());
        Assert.Equal("enabled", cleared.GetProperty("status").GetString());

        var read = await (await client.GetAsync($"/v1/endpoints/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(cleared.GetRawText(), read.GetRawText());
    }

    [Fact]
    public async Task Patch_EventTypes_ReplacesTheList()
    {
        using var client = await NewTeamClientAsync(App);
        var id = Id(await CreateAsync(client));

        var patched = await (await client.PatchAsync($"/v1/endpoints/{id}", Json("""{"event_types":["event.crawl.completed","event.crawl.failed"]}""")))
            .AssertJsonAsync(HttpStatusCode.OK);

        Assert.Equal(["event.crawl.completed", "event.crawl.failed"], patched.GetProperty("event_types").EnumerateArray().Select(t => t.GetString()));
    }

    [Theory]
    [InlineData("""{}""", "")]
    [InlineData("""{"name":"unknown fields only"}""", "")]
    [InlineData("""{"url":null}""", "url")]
    [InlineData("""{"url":"ftp://example.com/h"}""", "url")]
    [InlineData("""{"status":"enabled"}""", "status")]
    [InlineData("""{"status":"disabled","description":"x"}""", "status")]
    [InlineData("""{"event_types":[]}""", "event_types")]
    [InlineData("""{"event_types":["event.delivery.exhausted"]}""", "event_types[0]")]
    [InlineData("""{"rate_limit_per_s":0}""", "rate_limit_per_s")]
    public async Task Patch_Invalid_Returns400NamingIt_AndChangesNothing(string body, string path)
    {
        using var client = await NewTeamClientAsync(App);
        var created = await CreateAsync(client);
        var id = Id(created);

        var problem = await (await client.PatchAsync($"/v1/endpoints/{id}", Json(body))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([path], problem.ErrorKeys());
        var read = await (await client.GetAsync($"/v1/endpoints/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(created.GetRawText(), read.GetRawText());
    }

    [Theory]
    [InlineData("""{"recover":"yes"}""", "recover")]
    [InlineData("""{"recover":1}""", "recover")]
    public async Task Enable_RecoverNotABoolean_Returns400(string body, string path)
    {
        using var client = await NewTeamClientAsync(App);
        var id = Id(await CreateAsync(client));

        var problem = await (await client.PostAsync($"/v1/endpoints/{id}/enable", Json(body))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([path], problem.ErrorKeys());
    }

    /// <summary>Every route of one endpoint, with a body that would be valid.</summary>
    public static TheoryData<string, string, string?> EndpointRoutes => new()
    {
        { "GET", "", null },
        { "PATCH", "", """{"description":"mine now"}""" },
        { "DELETE", "", null },
        { "POST", "/enable", """{"recover":true}""" },
        { "GET", "/health", null },
    };

    [Theory]
    [MemberData(nameof(EndpointRoutes))]
    public async Task EveryRoute_AnotherTeamsEndpoint_Answers404LikeAMissingOne_AndChangesNothing(string method, string suffix, string? body)
    {
        using var owner = await NewTeamClientAsync(App);
        using var other = await NewTeamClientAsync(App);
        var created = await CreateAsync(owner);
        var id = Id(created);

        var theirs = await SendAsync(other, method, $"/v1/endpoints/{id}{suffix}", body);
        var missing = await SendAsync(owner, method, $"/v1/endpoints/ep_0000000000000000{suffix}", body);

        var theirsProblem = await theirs.AssertProblemAsync(HttpStatusCode.NotFound);
        var missingProblem = await missing.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(missingProblem.GetProperty("title").GetString(), theirsProblem.GetProperty("title").GetString());
        var read = await (await owner.GetAsync($"/v1/endpoints/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(created.GetRawText(), read.GetRawText());
    }

    [Theory]
    [InlineData("ep_abc")]
    [InlineData("ep_ABCDEFGHIJKLMNOP")]
    [InlineData("batch_abcdefghijklmnop")]
    [InlineData("ep_'%20or%20''='")]
    [InlineData("ep_%E2%98%83%E2%98%83%E2%98%83%E2%98%83%E2%98%83%E2%98%83%E2%98%83%E2%98%83")]
    public async Task EveryRoute_MalformedId_Answers404(string id)
    {
        using var client = await NewTeamClientAsync(App);
        foreach (var (method, suffix, body) in new (string, string, string?)[]
                 {
                     ("GET", "", null), ("PATCH", "", """{"description":"x"}"""), ("DELETE", "", null), ("POST", "/enable", null), ("GET", "/health", null),
                 })
        {
            await (await SendAsync(client, method, $"/v1/endpoints/{id}{suffix}", body)).AssertProblemAsync(HttpStatusCode.NotFound);
        }
        await (await SendAsync(client, "GET", "/v1/endpoints/ep_" + new string('a', 4000), null)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_ShowsOnlyTheTeamsOwnEndpoints()
    {
        using var owner = await NewTeamClientAsync(App);
        using var other = await NewTeamClientAsync(App);
        var id = Id(await CreateAsync(owner));

        var theirs = await (await other.GetAsync("/v1/endpoints")).AssertJsonAsync(HttpStatusCode.OK);

        Assert.DoesNotContain(id, Ids(theirs));
        Assert.Equal([id], Ids(await (await owner.GetAsync("/v1/endpoints")).AssertJsonAsync(HttpStatusCode.OK)));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = Json(body);
        }
        return await client.SendAsync(request);
    }
}
