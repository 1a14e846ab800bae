using Azure;
using Azure.Data.Tables;
using Webhooks.Functions.Jobs;

namespace Webhooks.Functions.Crawling;

/// <summary>
/// The crawl's own row (row <see cref="JobRows.Job"/>) in its partition of the jobs table. Pages are settled strictly
/// in sequence order, so pages <c>[0, PagesSettled)</c> are settled and <c>[PagesSettled, PagesAdmitted)</c> wait to be
/// fetched; page rows at or beyond <see cref="PagesAdmitted"/> are not part of the crawl (yet).
/// </summary>
internal sealed class CrawlEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = JobRows.Job;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Kind { get; set; } = JobKinds.Crawl;
    public string TeamId { get; set; } = "";
    public string Status { get; set; } = JobStatus.InProgress;
    public string StartUrl { get; set; } = "";
    public int MaxPages { get; set; }
    public int? MaxDepth { get; set; }
    public int ActualMaxDepth { get; set; }
    public int UrlsCount { get; set; }
    public int PagesFailed { get; set; }
    public int PagesAdmitted { get; set; }
    public int PagesSettled { get; set; }
    public string? Error { get; set; }
    public string? Webhook { get; set; }
    public long StartEpoch { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>When a page last settled (or the crawl was created); the stalled-job sweep looks at it.</summary>
    public DateTimeOffset LastProgressAt { get; set; }
}
