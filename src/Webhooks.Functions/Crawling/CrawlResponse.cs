using System.Globalization;
using System.Text.Json.Serialization;
using Webhooks.Functions.Jobs;

namespace Webhooks.Functions.Crawling;

/// <summary>The crawl object of SPEC §3, also the <c>data</c> of <c>event.crawl.completed</c>/<c>failed</c>.</summary>
internal sealed record CrawlResponse(
    string Id,
    [property: JsonPropertyName("object")] string Object,
    string Status,
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
    string? Webhook)
{
    public static CrawlResponse From(CrawlEntity crawl)
    {
        ArgumentNullException.ThrowIfNull(crawl);
        return new(crawl.PartitionKey, "crawl", crawl.Status, crawl.StartUrl, crawl.UrlsCount, crawl.PagesFailed, crawl.MaxPages,
            crawl.MaxDepth, crawl.ActualMaxDepth, crawl.StartEpoch,
            DateTimeOffset.FromUnixTimeMilliseconds(crawl.StartEpoch).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            crawl.CompletedAt, crawl.Status == JobStatus.Failed ? crawl.Error : null, crawl.Webhook);
    }
}
