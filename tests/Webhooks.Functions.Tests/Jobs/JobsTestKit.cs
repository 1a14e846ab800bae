using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Jobs;

/// <summary>Helpers the jobs and crawl tests share: create, wait for the end, page through listings, read rows.</summary>
public static class JobsTestKit
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task<JsonElement> CreateAsync(HttpClient client, string path, string json, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await client.PostAsync(path, Json(json));
        return await response.AssertJsonAsync(expected);
    }

    /// <summary>Polls GET until the job is no longer in progress (bounded).</summary>
    public static async Task<JsonElement> WaitForEndAsync(HttpClient client, string location)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var job = await (await client.GetAsync(location)).AssertJsonAsync(HttpStatusCode.OK);
            if (job.GetProperty("status").GetString() != "in_progress")
            {
                return job;
            }
            Assert.True(started.Elapsed < Deadline, $"{location} still in progress after {Deadline}: {job}");
            await Task.Delay(50);
        }
    }

    /// <summary>Every element of a cursor-paged listing (<paramref name="property"/> holds each page's elements).</summary>
    public static async Task<List<JsonElement>> ListAllAsync(HttpClient client, string path, string property, int limit = 100)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var url = $"{path}?limit={limit}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await (await client.GetAsync(url)).AssertJsonAsync(HttpStatusCode.OK);
            all.AddRange(page.GetProperty(property).EnumerateArray());
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        return all;
    }

    public static TableClient JobsTable(TestApp app) => new TableServiceClient(app.ConnectionString).GetTableClient(app.Prefix + "jobs");

    /// <summary>Every row of a job's partition whose row key starts with <paramref name="prefix"/>.</summary>
    public static async Task<List<TableEntity>> RowsAsync(TestApp app, string jobId, string prefix)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in JobsTable(app).QueryAsync<TableEntity>(e => e.PartitionKey == jobId))
        {
            if (row.RowKey.StartsWith(prefix, StringComparison.Ordinal))
            {
                rows.Add(row);
            }
        }
        return rows;
    }

    /// <summary>A second team with its own API key, via the admin API.</summary>
    public static async Task<string> CreateTeamKeyAsync(TestApp app)
    {
        using var admin = app.Client(TestApp.AdminKey);
        var team = await (await admin.PostAsync("/v1/admin/teams", Json("""{"name":"other"}"""))).AssertJsonAsync(HttpStatusCode.Created);
        return team.GetProperty("api_key").GetString()!;
    }

    /// <summary>A site whose paths are answered by <paramref name="routes"/> (404 otherwise), counting requests per path.</summary>
    public static async Task<(LocalServer Server, ConcurrentDictionary<string, int> Hits)> SiteAsync(
        Func<HttpContext, Task<bool>> routes)
    {
        var hits = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var server = await LocalServer.StartAsync(async context =>
        {
            hits.AddOrUpdate(context.Request.Path + context.Request.QueryString, 1, (_, n) => n + 1);
            if (!await routes(context))
            {
                context.Response.StatusCode = 404;
            }
        });
        return (server, hits);
    }

    public static async Task HtmlAsync(HttpContext context, string title, params string[] hrefs)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        var links = string.Concat(hrefs.Select(h => $"<a href=\"{h}\">link</a>\n"));
        await context.Response.WriteAsync($"<!doctype html><html><head><title>{title}</title></head><body>{links}</body></html>");
    }
}
