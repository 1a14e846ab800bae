using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Webhooks.Functions.Tests.Infrastructure;
using Xunit.Abstractions;
using static Webhooks.Functions.Tests.Jobs.JobsTestKit;

namespace Webhooks.Functions.Tests.Jobs;

/// <summary>
/// Batch items/s and crawl pages/s against an instant local site. Run by hand:
/// <c>JOBS_MEASURE=1 dotnet test tests/Webhooks.Functions.Tests -c Release --no-build --filter "FullyQualifiedName~JobsThroughputMeasurement" --logger "console;verbosity=detailed"</c>
/// </summary>
public sealed class JobsThroughputMeasurement(JobsFixture fixture, ITestOutputHelper output) : IClassFixture<JobsFixture>
{
    [MeasurementFact]
    public async Task Measure_BatchItemsPerSecond()
    {
        const int total = 10_000;
        var (site, _) = await SiteAsync(async context =>
        {
            await HtmlAsync(context, "page");
            return true;
        });
        await using var _site = site;
        using var client = fixture.App.Client();
        var items = string.Join(",", Enumerable.Range(0, total).Select(i => $$"""{"url":"{{site.Url($"/p{i}")}}"}"""));
        var watch = Stopwatch.StartNew();
        var created = await CreateAsync(client, "/v1/batches", $$"""{"items":[{{items}}]}""");
        var createdIn = watch.Elapsed;
        var batch = await WaitLongAsync(client, $"/v1/batches/{created.GetProperty("id").GetString()}");
        Assert.Equal(total, batch.GetProperty("items_completed").GetInt32());
        output.WriteLine($"batch: {total} items, created in {createdIn.TotalSeconds:0.0} s, completed in {watch.Elapsed.TotalSeconds:0.0} s = {total / watch.Elapsed.TotalSeconds:0} items/s");
    }

    [MeasurementFact]
    public async Task Measure_CrawlPagesPerSecond()
    {
        const int pages = 1000;
        var (site, _) = await SiteAsync(async context =>
        {
            var path = context.Request.Path.Value!.TrimStart('/');
            if (!int.TryParse(path.Length == 0 ? "0" : path, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }
            await HtmlAsync(context, $"page {n}", Enumerable.Range(n * 10 + 1, 10).Where(i => i < pages * 2).Select(i => $"/{i}").ToArray());
            return true;
        });
        await using var _site = site;
        using var client = fixture.App.Client();
        var watch = Stopwatch.StartNew();
        var created = await CreateAsync(client, "/v1/crawls", $$"""{"start_url":"{{site.Url("/")}}","max_pages":{{pages}}}""");
        var crawl = await WaitLongAsync(client, $"/v1/crawls/{created.GetProperty("id").GetString()}");
        Assert.Equal(pages, crawl.GetProperty("urls_count").GetInt32());
        output.WriteLine($"crawl: {pages} pages in {watch.Elapsed.TotalSeconds:0.0} s = {pages / watch.Elapsed.TotalSeconds:0} pages/s");
    }

    private static async Task<JsonElement> WaitLongAsync(HttpClient client, string location)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var job = await (await client.GetAsync(location)).AssertJsonAsync(HttpStatusCode.OK);
            if (job.GetProperty("status").GetString() != "in_progress" || watch.Elapsed > TimeSpan.FromMinutes(10))
            {
                return job;
            }
            await Task.Delay(100);
        }
    }
}
