using System.Text.Json.Serialization;

namespace Webhooks.Receiver;

/// <summary>
/// The <c>data</c> of an <c>event.crawl.completed</c> or <c>event.crawl.failed</c> event: the crawl object at
/// completion.
/// </summary>
public sealed record CrawlData
{
    /// <summary>The crawl id, <c>crawl_…</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Always <c>crawl</c>.</summary>
    [JsonPropertyName("object")]
    public required string ObjectType { get; init; }

    /// <summary>The crawl status: <c>completed</c> or <c>failed</c>.</summary>
    public required string Status { get; init; }

    /// <summary>The URL the crawl started from.</summary>
    public required string StartUrl { get; init; }

    /// <summary>Number of pages fetched with a 2xx answer.</summary>
    public required int UrlsCount { get; init; }

    /// <summary>Number of pages that failed.</summary>
    public required int PagesFailed { get; init; }

    /// <summary>The page budget the crawl was created with.</summary>
    public required int MaxPages { get; init; }

    /// <summary>The depth limit the crawl was created with, or <see langword="null"/> when none was given.</summary>
    public int? MaxDepth { get; init; }

    /// <summary>The deepest level reached (the start URL is depth 0).</summary>
    public required int ActualMaxDepth { get; init; }

    /// <summary>When the crawl started, epoch milliseconds.</summary>
    public required long StartEpoch { get; init; }

    /// <summary>The UTC date the crawl started.</summary>
    public required DateOnly StartDate { get; init; }

    /// <summary>When the crawl finished.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Why the crawl failed, e.g. <c>Root URL returned 403 Forbidden</c>; only for failed crawls.</summary>
    public string? Error { get; init; }

    /// <summary>The webhook URL given when the crawl was created, if any.</summary>
    public string? Webhook { get; init; }
}
