using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Webhooks.Functions.Jobs;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Tests.Infrastructure;
using Webhooks.Functions.Tests.Jobs;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;
using static Webhooks.Functions.Tests.Jobs.JobsTestKit;

namespace Webhooks.Functions.Tests.Crawling;

public sealed class CrawlApiTests(JobsFixture fixture) : IClassFixture<JobsFixture>
{
    private TestApp App => fixture.App;

    /// <summary>
    /// / → /a, /b, /a#frag, /b, other site, /private/secret (robots), mailto, /c?q=1, /missing (404)
    /// /a → / (cycle), /a/deep, ../b ; /b → /c?q=1, /b#x ; /a/deep → /a/deep/deeper
    /// </summary>
    private static async Task<(LocalServer Site, ConcurrentDictionary<string, int> Hits, LocalServer Other, ConcurrentDictionary<string, int> OtherHits)> GeneratedSiteAsync(
        string? robots = "User-agent: *\nDisallow: /private\n")
    {
        var (other, otherHits) = await SiteAsync(async context =>
        {
            await HtmlAsync(context, "elsewhere");
            return true;
        });
        var (site, hits) = await SiteAsync(async context =>
        {
            switch (context.Request.Path.Value + context.Request.QueryString)
            {
                case "/robots.txt" when robots is not null:
                    context.Response.ContentType = "text/plain";
                    await context.Response.WriteAsync(robots);
                    return true;
                case "/":
                    await HtmlAsync(context, "Home", "/a", "/b", "/a#frag", "/b", other.Url("/x"), "/private/secret", "mailto:x@example.com", "c?q=1", "/missing");
                    return true;
                case "/a":
                    await HtmlAsync(context, "A", "/", "/a/deep", "../b");
                    return true;
                case "/b":
                    await HtmlAsync(context, "B", "/c?q=1", "/b#x");
                    return true;
                case "/c?q=1":
                    await HtmlAsync(context, "C");
                    return true;
                case "/a/deep":
                    await HtmlAsync(context, "Deep", "deep/deeper");
                    return true;
                case "/a/deep/deeper":
                case "/private/secret":
                case "/private/x":
                    await HtmlAsync(context, "Leaf");
                    return true;
                default:
                    return false;
            }
        });
        return (site, hits, other, otherHits);
    }

    private static string[] Paths(IEnumerable<JsonElement> pages) =>
        pages.Select(p => new Uri(p.GetProperty("url").GetString()!).PathAndQuery).ToArray();

    [Fact]
    public async Task Crawl_GeneratedSite_FetchesEachSameSiteAllowedPageOnceInBfsOrder()
    {
        var (site, hits, other, otherHits) = await GeneratedSiteAsync();
        await using var _site = site;
        await using var _other = other;
        using var client = App.Client();
        var response = await client.PostAsync("/v1/crawls", Json($$"""{"start_url":"{{site.Url("/")}}"}"""));
        var created = await response.AssertJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Matches("^crawl_[a-z0-9]{16}$", id);
        Assert.Equal($"/v1/crawls/{id}", response.Headers.Location?.ToString());
        Assert.Equal("crawl", created.GetProperty("object").GetString());
        Assert.Equal(10, created.GetProperty("max_pages").GetInt32());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("max_depth").ValueKind);
        Assert.False(created.TryGetProperty("error", out _));

        var done = await WaitForEndAsync(client, $"/v1/crawls/{id}");
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(6, done.GetProperty("urls_count").GetInt32());
        Assert.Equal(1, done.GetProperty("pages_failed").GetInt32());
        Assert.Equal(3, done.GetProperty("actual_max_depth").GetInt32());
        Assert.False(done.TryGetProperty("error", out _));
        Assert.Equal(site.Url("/"), done.GetProperty("start_url").GetString());
        var startEpoch = done.GetProperty("start_epoch").GetInt64();
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(startEpoch).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            done.GetProperty("start_date").GetString());

        var pages = await ListAllAsync(client, $"/v1/crawls/{id}/pages", "pages", limit: 2);
        Assert.Equal(["/", "/a", "/b", "/c?q=1", "/missing", "/a/deep", "/a/deep/deeper"], Paths(pages));
        Assert.Equal([0, 1, 1, 1, 1, 2, 3], pages.Select(p => p.GetProperty("depth").GetInt32()));
        Assert.Equal("Home", pages[0].GetProperty("title").GetString());
        Assert.Equal(200, pages[0].GetProperty("status_code").GetInt32());
        Assert.Equal(("failed", 404, "HTTP 404 Not Found"),
            (pages[4].GetProperty("status").GetString(), pages[4].GetProperty("status_code").GetInt32(), pages[4].GetProperty("error").GetString()));
        Assert.All(Paths(pages), p => Assert.Equal(1, hits[p]));
        Assert.False(hits.ContainsKey("/private/secret"));
        Assert.Empty(otherHits);
        Assert.Equal(1, hits["/robots.txt"]);
    }

    [Theory]
    [InlineData("\"max_depth\":1", new[] { "/", "/a", "/b", "/c?q=1", "/missing" }, 1)]
    [InlineData("\"max_depth\":0", new[] { "/" }, 0)]
    [InlineData("\"max_pages\":3", new[] { "/", "/a", "/b" }, 1)]
    [InlineData("\"max_pages\":6,\"max_depth\":2", new[] { "/", "/a", "/b", "/c?q=1", "/missing", "/a/deep" }, 2)]
    public async Task Crawl_Limits_FetchExactlyTheBreadthFirstPrefix(string limits, string[] expected, int depth)
    {
        var (site, hits, other, _) = await GeneratedSiteAsync();
        await using var _site = site;
        await using var _other = other;
        using var client = App.Client();
        var created = await CreateAsync(client, "/v1/crawls", $$"""{"start_url":"{{site.Url("/")}}",{{limits}}}""");
        var done = await WaitForEndAsync(client, $"/v1/crawls/{created.GetProperty("id").GetString()}");
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(depth, done.GetProperty("actual_max_depth").GetInt32());
        var pages = await ListAllAsync(client, $"/v1/crawls/{done.GetProperty("id").GetString()}/pages", "pages");
        Assert.Equal(expected, Paths(pages));
        Assert.Equal(expected.Order(StringComparer.Ordinal), hits.Keys.Where(k => k != "/robots.txt").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Crawl_RobotsNotFound_MeansNoRestrictions()
    {
        var (site, hits, other, _) = await GeneratedSiteAsync(robots: null);
        await using var _site = site;
        await using var _other = other;
        using var client = App.Client();
        var created = await CreateAsync(client, "/v1/crawls", $$"""{"start_url":"{{site.Url("/")}}","max_depth":1}""");
        var done = await WaitForEndAsync(client, $"/v1/crawls/{created.GetProperty("id").GetString()}");
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(1, hits["/private/secret"]);
    }

    [Fact]
    public async Task Crawl_RobotsProductGroup_AppliesInsteadOfStar()
    {
        var (site, hits, other, _) = await GeneratedSiteAsync(robots: "User-agent: *\nDisallow: /\n\nUser-agent: Webhooks.Functions\nDisallow: /b\n");
        await using var _site = site;
        await using var _other = other;
        using var client = App.Client();
        var created = await CreateAsync(client, "/v1/crawls", $$"""{"start_url":"{{site.Url("/")}}","max_depth":1}""");
        var done = await WaitForEndAsync(client, $"/v1/crawls/{created.GetProperty("id").GetString()}");
        var pages = await ListAllAsync(client, $"/v1/crawls/{done.GetProperty("id").GetString()}/pages", "pages");
        Assert.Equal(["/", "/a", "/private/secret", "/c?q=1", "/missing"], Paths(pages));
        Assert.False(hits.ContainsKey("/b"));
    }

    [Fact]
    public async Task Crawl_RobotsServerError_FailsNamingRobotsTxt()
    {
        var (site, hits) = await SiteAsync(async context =>
        {
            if (context.Request.Path == "/robots.txt")
            {
                context.Response.StatusCode = 503;
                return true;
            }
            await HtmlAsync(context, "x");
            return true;
        });
        await using var _site = site;
        using var client = App.Client();
        var created = await CreateAsync(client, "/v1/crawls", $$"""{"start_url":"{{site.Url("/")}}"}""");
        var done = await WaitForEndAsync(client, $"/v1/crawls/{created.GetProperty("id").GetString()}");
        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Equal("robots.txt returned 503 Service Unavailable", done.GetProperty("error").GetString());
        Assert.False(hits.ContainsKey("/"));
    }

    [Fact]
    public async Task Crawl_RootForbidden_FailsAndRaisesCrawlFailedEvent()
    {
        var (site, _) = await SiteAsync(context =>
        {
            context.Response.StatusCode = context.Request.Path == "/" ? 403 : 404;
            return Task.FromResult(true);
        });
        await using var _site = site;
        using var client = App.Client();
        var created = await CreateAsync(client, "/v1/crawls", $$"""{"start_url":"{{site.Url("/")}}"}""");
        var id = created.GetProperty("id").GetString()!;
        var done = await WaitForEndAsync(client, $"/v1/crawls/{id}");
        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Equal("Root URL returned 403 Forbidden", done.GetProperty("error").GetString());
        Assert.Equal(0, done.GetProperty("urls_count").GetInt32());
        Assert.Equal(1, done.GetProperty("pages_failed").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, done.GetProperty("completed_at").ValueKind);

        var evt = (await JobsTable(App).GetEntityAsync<Azure.Data.Tables.TableEntity>(id, "event")).Value;
        Assert.Equal("event.crawl.failed", evt.GetString("Type"));
        Assert.Equal(done.GetRawText(), evt.GetString("Data"));
    }

    [Fact]
    public async Task Crawl_RootTimesOut_FailsAsUnreachable()
    {
        var (site, _) = await SiteAsync(async context =>
        {
            if (context.Request.Path == "/")
            {
                await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
                return true;
            }
            return false;
        });
        await using var _site = site;
        using var client = App.Client();
        var created = await CreateAsync(client, "/v1/crawls", $$"""{"start_url":"{{site.Url("/")}}"}""");
        var done = await WaitForEndAsync(client, $"/v1/crawls/{created.GetProperty("id").GetString()}");
        Assert.Equal("Root URL could not be reached: Timed out after 1.5 s", done.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Crawl_HostDown_FailsAsRootUnreachable()
    {
        using var client = App.Client();
        var created = await CreateAsync(client, "/v1/crawls", $$"""{"start_url":"http://127.0.0.1:{{FreePort.Next()}}/"}""");
        var done = await WaitForEndAsync(client, $"/v1/crawls/{created.GetProperty("id").GetString()}");
        Assert.Equal("failed", done.GetProperty("status").GetString());
        var error = done.GetProperty("error").GetString()!;
        Assert.StartsWith("Root URL could not be reached: ", error, StringComparison.Ordinal);
        Assert.Contains("robots.txt", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebCrawlAlias_CamelCase_CreatesSameCrawlAndNamesCamelCaseFields()
    {
        var (site, _, other, _) = await GeneratedSiteAsync();
        await using var _site = site;
        await using var _other = other;
        using var client = App.Client();
        var response = await client.PostAsync("/v1/web/crawl",
            Json($$"""{"url":"{{site.Url("/")}}","maxPages":2,"maxDepth":1,"webhookUrl":"http://127.0.0.1:9/hook"}"""));
        var created = await response.AssertJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal($"/v1/crawls/{id}", response.Headers.Location?.ToString());
        Assert.Equal(site.Url("/"), created.GetProperty("start_url").GetString());
        Assert.Equal(2, created.GetProperty("max_pages").GetInt32());
        Assert.Equal(1, created.GetProperty("max_depth").GetInt32());
        Assert.Equal("http://127.0.0.1:9/hook", created.GetProperty("webhook").GetString());
        var done = await WaitForEndAsync(client, $"/v1/crawls/{id}");
        Assert.Equal(2, done.GetProperty("urls_count").GetInt32());

        var problem = await (await client.PostAsync("/v1/web/crawl", Json("""{"url":"nope","maxPages":0,"maxDepth":"x","webhookUrl":"ftp://h/"}""")))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["maxDepth", "maxPages", "url", "webhookUrl"], problem.ErrorKeys().Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{}""", "start_url")]
    [InlineData("""{"start_url":"/relative"}""", "start_url")]
    [InlineData("""{"start_url":5}""", "start_url")]
    [InlineData("""{"start_url":"http://a.example/","max_pages":0}""", "max_pages")]
    [InlineData("""{"start_url":"http://a.example/","max_pages":1001}""", "max_pages")]
    [InlineData("""{"start_url":"http://a.example/","max_pages":"5"}""", "max_pages")]
    [InlineData("""{"start_url":"http://a.example/","max_pages":2.5}""", "max_pages")]
    [InlineData("""{"start_url":"http://a.example/","max_depth":-1}""", "max_depth")]
    [InlineData("""{"start_url":"http://a.example/","max_depth":21}""", "max_depth")]
    [InlineData("""{"start_url":"http://a.example/","webhook":"http://u:p@h.example/"}""", "webhook")]
    [InlineData("""{"start_url":"http://a.example/","webhook":"http://h.example/1","webhook_url":"http://h.example/2"}""", "webhook")]
    public async Task CreateCrawl_InvalidField_Returns400NamingIt(string json, string field)
    {
        using var client = App.Client();
        var problem = await (await client.PostAsync("/v1/crawls", Json(json))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([field], problem.ErrorKeys());
    }

    [Fact]
    public async Task GetCrawl_OtherTeam_Returns404AndIdempotencyReplays()
    {
        using var client = App.Client();
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> PostAsync(string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/crawls") { Content = Json(body) };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request);
        }
        var first = await PostAsync("""{"start_url":"http://127.0.0.1:9/"}""");
        var created = await first.AssertJsonAsync(HttpStatusCode.Created);
        var second = await PostAsync("""{"start_url":"http://127.0.0.1:9/"}""");
        Assert.Equal(created.GetRawText(), (await second.AssertJsonAsync(HttpStatusCode.Created)).GetRawText());
        await (await PostAsync("""{"start_url":"http://127.0.0.1:9/","max_pages":2}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        var id = created.GetProperty("id").GetString()!;
        using var other = App.Client(await CreateTeamKeyAsync(App));
        await (await other.GetAsync($"/v1/crawls/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.GetAsync($"/v1/crawls/{id}/pages")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/v1/crawls/crawl_notavalidid")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CrawlMessage_HandledConcurrentlyAndTwice_SameResultAndOneEvent()
    {
        var (site, _, other, _) = await GeneratedSiteAsync();
        await using var _site = site;
        await using var _other = other;
        using var client = App.Client();
        var created = await CreateAsync(client, "/v1/crawls", $$"""{"start_url":"{{site.Url("/")}}"}""");
        var id = created.GetProperty("id").GetString()!;
        var handler = App.Services.GetRequiredService<JobsQueueHandler>();
        var text = new JobMessage(id).ToText();
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => handler.HandleAsync(new QueueWork(text, 1, null), CancellationToken.None))));
        var done = await WaitForEndAsync(client, $"/v1/crawls/{id}");
        await handler.HandleAsync(new QueueWork(text, 2, null), CancellationToken.None);

        Assert.Equal(6, done.GetProperty("urls_count").GetInt32());
        Assert.Equal(1, done.GetProperty("pages_failed").GetInt32());
        var pages = await ListAllAsync(client, $"/v1/crawls/{id}/pages", "pages");
        Assert.Equal(["/", "/a", "/b", "/c?q=1", "/missing", "/a/deep", "/a/deep/deeper"], Paths(pages));
        Assert.Single(await RowsAsync(App, id, "event"));
        Assert.Equal("event.crawl.completed", (await RowsAsync(App, id, "event"))[0].GetString("Type"));
    }
}
