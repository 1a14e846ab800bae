using System.Net;
using System.Text.Json.Nodes;
using Webhooks.Bench.Infrastructure;
using Webhooks.Bench.Receiver;
using Webhooks.Bench.Worker;

namespace Webhooks.Bench.Scenarios;

/// <summary>
/// Scenario 6, through the HTTP API with the dev key: one batch of M items and one crawl of up to P pages against the
/// receiver process's local site, each timed from the create call to the job's terminal status. Reports
/// "not present" when the app has no <c>POST /v1/batches</c> route.
/// </summary>
internal static class JobsScenario
{
    public const string Name = "jobs";

    public static async Task<JsonObject> RunAsync(WorkerInput input, CancellationToken cancellationToken)
    {
        using var receiver = new ReceiverClient(input.Receiver);
        await receiver.SetModeAsync(ReceiverMode.Ok);
        await using var app = await AppUnderTest.StartAsync(input.AzuriteConnection, new Dictionary<string, string>());
        using var api = AppUnderTest.ApiClient(app.BaseAddress);
        using (var probe = await api.PostAsync(new Uri("/v1/batches", UriKind.Relative), JsonContent.Create(new { }), cancellationToken))
        {
            if (probe.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
            {
                return new JsonObject { ["present"] = false };
            }
        }
        var webhook = input.Receiver.HookUrls[0];
        var site = input.Receiver.Site;

        WorkerHost.Progress($"jobs: batch of {input.BatchItems} items");
        var items = Enumerable.Range(0, input.BatchItems).Select(i => new { url = new Uri(site, $"page/{i}").ToString(), custom_id = $"item-{i}" }).ToList();
        var batch = await RunJobAsync(api, "/v1/batches", new { items, webhook }, "/v1/batches/", cancellationToken);
        var batchSettled = batch.Job is null ? 0 : batch.Job["items_completed"]!.GetValue<long>() + batch.Job["items_failed"]!.GetValue<long>();

        WorkerHost.Progress($"jobs: crawl of up to {input.CrawlPages} pages");
        var crawl = await RunJobAsync(api, "/v1/crawls", new { start_url = new Uri(site, "crawl/0").ToString(), max_pages = input.CrawlPages, webhook },
            "/v1/crawls/", cancellationToken);
        var crawlPages = crawl.Job is null ? 0 : crawl.Job["urls_count"]!.GetValue<long>() + crawl.Job["pages_failed"]!.GetValue<long>();

        return new JsonObject
        {
            ["present"] = true,
            ["batch"] = new JsonObject
            {
                ["items"] = input.BatchItems,
                ["status"] = batch.Status,
                ["seconds"] = Math.Round(batch.Seconds, 2),
                ["items_per_s"] = Math.Round(batchSettled / batch.Seconds, 1),
                ["items_failed"] = batch.Job?["items_failed"]?.GetValue<long>(),
            },
            ["crawl"] = new JsonObject
            {
                ["max_pages"] = input.CrawlPages,
                ["status"] = crawl.Status,
                ["pages"] = crawlPages,
                ["seconds"] = Math.Round(crawl.Seconds, 2),
                ["pages_per_s"] = Math.Round(crawlPages / crawl.Seconds, 1),
            },
        };
    }

    private static async Task<(string Status, double Seconds, JsonNode? Job)> RunJobAsync(
        HttpClient api, string createPath, object body, string getPrefix, CancellationToken cancellationToken)
    {
        var started = Clock.Now;
        using var created = await api.PostAsync(new Uri(createPath, UriKind.Relative), JsonContent.Create(body), cancellationToken);
        var text = await created.Content.ReadAsStringAsync(cancellationToken);
        if (!created.IsSuccessStatusCode)
        {
            return ($"create answered {(int)created.StatusCode}: {text[..Math.Min(200, text.Length)]}", Clock.SecondsSince(started), null);
        }
        var id = JsonNode.Parse(text)!["id"]!.GetValue<string>();
        while (Clock.SecondsSince(started) < 180 && !cancellationToken.IsCancellationRequested)
        {
            var job = JsonNode.Parse(await api.GetStringAsync(new Uri(getPrefix + id, UriKind.Relative), cancellationToken))!;
            var status = job["status"]!.GetValue<string>();
            if (status != "in_progress")
            {
                return (status, Clock.SecondsSince(started), job);
            }
            await Task.Delay(50, cancellationToken);
        }
        return ("timed out", Clock.SecondsSince(started), null);
    }
}
