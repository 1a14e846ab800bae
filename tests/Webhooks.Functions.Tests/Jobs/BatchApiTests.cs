using System.Net;
using System.Text.Json;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;
using static Webhooks.Functions.Tests.Jobs.JobsTestKit;

namespace Webhooks.Functions.Tests.Jobs;

public sealed class BatchApiTests(JobsFixture fixture) : IClassFixture<JobsFixture>
{
    private TestApp App => fixture.App;

    private static Task<(LocalServer Server, System.Collections.Concurrent.ConcurrentDictionary<string, int> Hits)> MixedSiteAsync() =>
        SiteAsync(async context =>
        {
            switch (context.Request.Path.Value)
            {
                case "/ok":
                    await HtmlAsync(context, "  Hello\n  World  ");
                    return true;
                case "/text":
                    context.Response.ContentType = "text/plain; charset=utf-8";
                    await context.Response.WriteAsync("plain body");
                    return true;
                case "/error":
                    context.Response.StatusCode = 500;
                    return true;
                case "/slow":
                    await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
                    return true;
                default:
                    return false;
            }
        });

    [Fact]
    public async Task CreateBatch_MixedOutcomes_SettlesEveryItemWithExactCounters()
    {
        var (site, _) = await MixedSiteAsync();
        await using var _site = site;
        var refused = $"http://127.0.0.1:{FreePort.Next()}/nothing";
        using var client = App.Client();
        var json = $$"""
            {"items":[
              {"url":"{{site.Url("/ok")}}","custom_id":"ok"},
              {"url":"{{site.Url("/missing")}}","custom_id":"missing"},
              {"url":"{{site.Url("/error")}}","custom_id":"error"},
              {"url":"{{site.Url("/slow")}}","custom_id":"slow"},
              {"url":"{{refused}}","custom_id":"refused"},
              {"url":"{{site.Url("/text")}}"}
            ]}
            """;
        var response = await client.PostAsync("/v1/batches", Json(json));
        var created = await response.AssertJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Matches("^batch_[a-z0-9]{16}$", id);
        Assert.Equal($"/v1/batches/{id}", response.Headers.Location?.ToString());
        Assert.Equal("batch", created.GetProperty("object").GetString());
        Assert.Equal("in_progress", created.GetProperty("status").GetString());
        Assert.Equal(6, created.GetProperty("items_total").GetInt32());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("completed_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("webhook").ValueKind);

        var done = await WaitForEndAsync(client, $"/v1/batches/{id}");
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(2, done.GetProperty("items_completed").GetInt32());
        Assert.Equal(4, done.GetProperty("items_failed").GetInt32());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", done.GetProperty("completed_at").GetString());

        var items = await ListAllAsync(client, $"/v1/batches/{id}/items", "items", limit: 4);
        Assert.Equal(6, items.Count);
        var ok = items[0];
        Assert.Equal("ok", ok.GetProperty("custom_id").GetString());
        Assert.Equal("completed", ok.GetProperty("status").GetString());
        Assert.Equal(200, ok.GetProperty("status_code").GetInt32());
        Assert.Equal("Hello World", ok.GetProperty("title").GetString());
        Assert.True(ok.GetProperty("content_length").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Null, ok.GetProperty("error").ValueKind);
        Assert.Equal(("failed", 404, "HTTP 404 Not Found"), Outcome(items[1]));
        Assert.Equal(("failed", 500, "HTTP 500 Internal Server Error"), Outcome(items[2]));
        Assert.Equal("failed", items[3].GetProperty("status").GetString());
        Assert.Equal("Timed out after 1.5 s", items[3].GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, items[3].GetProperty("status_code").ValueKind);
        Assert.Equal("Connection refused", items[4].GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, items[5].GetProperty("custom_id").ValueKind);
        Assert.Equal("completed", items[5].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, items[5].GetProperty("title").ValueKind);

        var byCustomId = await client.GetAsync($"/v1/batches/{id}/items/ok/content");
        Assert.Equal(HttpStatusCode.OK, byCustomId.StatusCode);
        Assert.Equal("text/html", byCustomId.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>  Hello", await byCustomId.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var byPosition = await client.GetAsync($"/v1/batches/{id}/items/5/content");
        Assert.Equal(HttpStatusCode.OK, byPosition.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", byPosition.Content.Headers.ContentType?.ToString());
        Assert.Equal("plain body", await byPosition.Content.ReadAsStringAsync());
        await (await client.GetAsync($"/v1/batches/{id}/items/missing/content")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/v1/batches/{id}/items/nope/content")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/v1/batches/{id}/items/99/content")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private static (string?, int, string?) Outcome(JsonElement item) =>
        (item.GetProperty("status").GetString(), item.GetProperty("status_code").GetInt32(), item.GetProperty("error").GetString());

    [Fact]
    public async Task CreateBatch_BodyOverCap_IsTruncatedToFiveMebibytes()
    {
        var (site, _) = await SiteAsync(async context =>
        {
            context.Response.ContentType = "application/octet-stream";
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < 6 * 16; i++)
            {
                await context.Response.Body.WriteAsync(chunk);
            }
            return true;
        });
        await using var _site = site;
        using var client = App.Client();
        var created = await CreateAsync(client, "/v1/batches", $$"""{"items":[{"url":"{{site.Url("/big")}}"}]}""");
        var id = created.GetProperty("id").GetString()!;
        await WaitForEndAsync(client, $"/v1/batches/{id}");
        var item = (await ListAllAsync(client, $"/v1/batches/{id}/items", "items")).Single();
        Assert.Equal(5 * 1024 * 1024, item.GetProperty("content_length").GetInt64());
        var content = await client.GetByteArrayAsync($"/v1/batches/{id}/items/0/content");
        Assert.Equal(5 * 1024 * 1024, content.Length);
    }

    [Theory]
    [InlineData("""{}""", "items")]
    [InlineData("""{"items":[]}""", "items")]
    [InlineData("""{"items":"x"}""", "items")]
    [InlineData("""{"items":[7]}""", "items[0]")]
    [InlineData("""{"items":[{"url":"http://a.example/"},{"url":"ftp://a.example/"}]}""", "items[1].url")]
    [InlineData("""{"items":[{"url":"relative/path"}]}""", "items[0].url")]
    [InlineData("""{"items":[{"custom_id":"x"}]}""", "items[0].url")]
    [InlineData("""{"items":[{"url":5}]}""", "items[0].url")]
    [InlineData("""{"items":[{"url":"http://a.example/","custom_id":1}]}""", "items[0].custom_id")]
    [InlineData("""{"items":[{"url":"http://a.example/","custom_id":"a"},{"url":"http://b.example/"},{"url":"http://c.example/","custom_id":"a"}]}""", "items[2].custom_id")]
    [InlineData("""{"items":[{"url":"http://a.example/"}],"webhook":"not a url"}""", "webhook")]
    [InlineData("""{"items":[{"url":"http://a.example/"}],"webhook":"http://h.example/#frag"}""", "webhook")]
    [InlineData("""{"items":[{"url":"http://a.example/"}],"webhook":7}""", "webhook")]
    [InlineData("""{"items":[{"url":"http://a.example/"}],"webhook_url":"ftp://h.example/"}""", "webhook_url")]
    [InlineData("""{"items":[{"url":"http://a.example/"}],"webhook":"http://h.example/a","webhook_url":"http://h.example/b"}""", "webhook")]
    public async Task CreateBatch_InvalidField_Returns400NamingIt(string json, string field)
    {
        using var client = App.Client();
        var problem = await (await client.PostAsync("/v1/batches", Json(json))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([field], problem.ErrorKeys());
    }

    [Fact]
    public async Task CreateBatch_TooLongValues_Returns400NamingEachField()
    {
        using var client = App.Client();
        var longUrl = "http://a.example/" + new string('a', 2048);
        var longId = new string('c', 129);
        var json = $$"""{"items":[{"url":"{{longUrl}}"},{"url":"http://a.example/","custom_id":"{{longId}}"}]}""";
        var problem = await (await client.PostAsync("/v1/batches", Json(json))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["items[0].url", "items[1].custom_id"], problem.ErrorKeys().Order(StringComparer.Ordinal));

        var many = "{\"items\":[" + string.Join(",", Enumerable.Repeat("{\"url\":\"http://a.example/\"}", 10_001)) + "]}";
        var tooMany = await (await client.PostAsync("/v1/batches", Json(many))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["items"], tooMany.ErrorKeys());
    }

    [Fact]
    public async Task CreateBatch_SameAliasValue_IsAcceptedAndReturnedAsWebhook()
    {
        using var client = App.Client();
        var created = await CreateAsync(client, "/v1/batches",
            """{"items":[{"url":"http://127.0.0.1:9/x"}],"webhook":"http://127.0.0.1:9/h","webhook_url":"http://127.0.0.1:9/h"}""");
        Assert.Equal("http://127.0.0.1:9/h", created.GetProperty("webhook").GetString());
        var aliasOnly = await CreateAsync(client, "/v1/batches", """{"items":[{"url":"http://127.0.0.1:9/x"}],"webhook_url":"http://127.0.0.1:9/k"}""");
        Assert.Equal("http://127.0.0.1:9/k", aliasOnly.GetProperty("webhook").GetString());
    }

    [Fact]
    public async Task CreateBatch_NotJson_Returns415AndMalformed400()
    {
        using var client = App.Client();
        var text = await client.PostAsync("/v1/batches", new StringContent("items", System.Text.Encoding.UTF8, "text/plain"));
        await text.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await client.PostAsync("/v1/batches", Json("{\"items\":["))).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task IdempotencyKey_SameBody_ReplaysFirstAnswerAndCreatesOneBatch()
    {
        using var client = App.Client();
        var key = "key-" + Guid.NewGuid();
        var url = $"http://127.0.0.1:9/{Guid.NewGuid():N}";
        var body = $$"""{"items":[{"url":"{{url}}","custom_id":"a"}]}""";
        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/batches") { Content = Json(body) };
            request.Headers.Add("Idempotency-Key", key);
            var response = await client.SendAsync(request);
            return (response.StatusCode, Location: response.Headers.Location?.ToString(), Body: await response.Content.ReadAsStringAsync());
        }));
        // Concurrent duplicates either replay the answer or are told the first is still running; none creates.
        var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, r.Body));
        Assert.Single(created.Select(r => r.Body).Distinct());

        using var again = new HttpRequestMessage(HttpMethod.Post, "/v1/batches") { Content = Json(body) };
        again.Headers.Add("Idempotency-Key", key);
        var replay = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(created[0].Body, await replay.Content.ReadAsStringAsync());
        Assert.Equal(created[0].Location, replay.Headers.Location?.ToString());

        var id = JsonDocument.Parse(created[0].Body).RootElement.GetProperty("id").GetString()!;
        var batches = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in JobsTable(App).QueryAsync<Azure.Data.Tables.TableEntity>(e => e.RowKey == "job"))
        {
            if (row.GetString("Kind") == "batch" && row.GetString("Webhook") is null && row.GetInt32("ItemsTotal") == 1)
            {
                var items = await RowsAsync(App, row.PartitionKey, "item_");
                if (items.Single().GetString("Url") == url)
                {
                    batches.Add(row.PartitionKey);
                }
            }
        }
        Assert.Equal([id], batches);
    }

    [Fact]
    public async Task IdempotencyKey_DifferentBody_Returns422AndTooLong400()
    {
        using var client = App.Client();
        var key = "key-" + Guid.NewGuid();
        async Task<HttpResponseMessage> PostAsync(string body, string idempotencyKey)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/batches") { Content = Json(body) };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            return await client.SendAsync(request);
        }
        await (await PostAsync("""{"items":[{"url":"http://127.0.0.1:9/a"}]}""", key)).AssertJsonAsync(HttpStatusCode.Created);
        await (await PostAsync("""{"items":[{"url":"http://127.0.0.1:9/b"}]}""", key)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        var tooLong = await (await PostAsync("""{"items":[{"url":"http://127.0.0.1:9/a"}]}""", new string('k', 256))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["Idempotency-Key"], tooLong.ErrorKeys());
        await (await PostAsync("""{"items":[{"url":"http://127.0.0.1:9/a"}]}""", new string('k', 255))).AssertJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task GetBatch_OtherTeamOrMalformedId_Returns404()
    {
        using var client = App.Client();
        var created = await CreateAsync(client, "/v1/batches", """{"items":[{"url":"http://127.0.0.1:9/a","custom_id":"a"}]}""");
        var id = created.GetProperty("id").GetString()!;
        using var other = App.Client(await CreateTeamKeyAsync(App));
        foreach (var path in new[] { $"/v1/batches/{id}", $"/v1/batches/{id}/items", $"/v1/batches/{id}/items/a/content" })
        {
            await (await other.GetAsync(path)).AssertProblemAsync(HttpStatusCode.NotFound);
        }
        foreach (var path in new[] { "/v1/batches/batch_0000000000000000", "/v1/batches/nope", "/v1/batches/crawl_0000000000000000", "/v1/batches/BATCH_AAAAAAAAAAAAAAAA" })
        {
            await (await client.GetAsync(path)).AssertProblemAsync(HttpStatusCode.NotFound);
        }
        var crawl = await CreateAsync(client, "/v1/crawls", """{"start_url":"http://127.0.0.1:9/"}""");
        await (await client.GetAsync($"/v1/batches/{crawl.GetProperty("id").GetString()}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=cGFnZV8wMDAwMQ", "cursor")]
    public async Task ListItems_BadQuery_Returns400(string query, string field)
    {
        using var client = App.Client();
        var created = await CreateAsync(client, "/v1/batches", """{"items":[{"url":"http://127.0.0.1:9/a"}]}""");
        var problem = await (await client.GetAsync($"/v1/batches/{created.GetProperty("id").GetString()}/items?{query}"))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([field], problem.ErrorKeys());
    }
}
