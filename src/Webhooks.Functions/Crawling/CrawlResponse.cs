using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Serialization;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Jobs;

namespace Webhooks.Functions.Crawling;

/// <summary>The crawl object of SPEC §3, also the <c>data</c> of <c>event.crawl.completed</c>/<c>failed</c>.</summary>
internal sealed record CrawlResponse(
    string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: AllowedValues(JobStatus.InProgress, JobStatus.Completed, JobStatus.Failed)] string Status,
    string StartUrl,
    int UrlsCount,
    int PagesFailed,
    int MaxPages,
    int? MaxDepth,
    int ActualMaxDepth,
    long StartEpoch,
    string StartDate,
    DateTimeOffset? CompletedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error,
    string? Webhook) : IApiExample<CrawlResponse>
{
    public static CrawlResponse FailedExample => Example with
    {
        Status = JobStatus.Failed, UrlsCount = 0, PagesFailed = 1, ActualMaxDepth = 0, Error = "Root URL returned 403 Forbidden",
    };

    public static CrawlResponse Example => new("crawl_a1b2c3d4e5f6g7h8", "crawl", JobStatus.Completed, "https://example.com/", 18, 2, 20, 2, 2,
        ApiExamples.CreatedAt.ToUnixTimeMilliseconds(), "2026-12-02", ApiExamples.CompletedAt, null, "https://your-server.example/webhooks");

    public static CrawlResponse From(CrawlEntity crawl)
    {
        ArgumentNullException.ThrowIfNull(crawl);
        return new(crawl.PartitionKey, "crawl", crawl.Status, crawl.StartUrl, crawl.UrlsCount, crawl.PagesFailed, crawl.MaxPages,
            crawl.MaxDepth, crawl.ActualMaxDepth, crawl.StartEpoch,
            DateTimeOffset.FromUnixTimeMilliseconds(crawl.StartEpoch).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            crawl.CompletedAt, crawl.Status == JobStatus.Failed ? crawl.Error : null, crawl.Webhook);
    }
}
