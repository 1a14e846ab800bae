using Azure;
using Azure.Data.Tables;
using Webhooks.Functions.Jobs;

namespace Webhooks.Functions.Crawling;

/// <summary>One page of a crawl: row <c>page_00042</c> (its admission sequence, breadth-first) in the crawl's partition.</summary>
internal sealed class PageEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public int Sequence { get; set; }

    /// <summary>Normalised: lowercase scheme and host, no default port, no fragment.</summary>
    public string Url { get; set; } = "";
    public int Depth { get; set; }
    public string Status { get; set; } = JobStatus.Pending;
    public int? StatusCode { get; set; }
    public string? Title { get; set; }
    public long? ContentLength { get; set; }
    public string? ContentType { get; set; }
    public string? Error { get; set; }
    public string? BlobName { get; set; }
    public DateTimeOffset? SettledAt { get; set; }

    public static PageEntity Admit(string crawlId, int sequence, string url, int depth) => new()
    {
        PartitionKey = crawlId,
        RowKey = JobRows.Page(sequence),
        Sequence = sequence,
        Url = url,
        Depth = depth,
    };

    public void Apply(FetchResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        Status = result.Succeeded ? JobStatus.Completed : JobStatus.Failed;
        StatusCode = result.StatusCode;
        Title = result.Title;
        ContentLength = result.ContentLength;
        ContentType = result.ContentType;
        Error = result.Error;
        BlobName = result.BlobName;
        SettledAt = now;
    }
}
