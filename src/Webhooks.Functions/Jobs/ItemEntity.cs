using Azure;
using Azure.Data.Tables;

namespace Webhooks.Functions.Jobs;

/// <summary>One URL of a batch: row <c>item_00042</c> (its zero-based position) in the batch's partition.</summary>
internal sealed class ItemEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public int Position { get; set; }
    public string? CustomId { get; set; }
    public string Url { get; set; } = "";
    public string Status { get; set; } = JobStatus.Pending;
    public int? StatusCode { get; set; }
    public string? Title { get; set; }
    public long? ContentLength { get; set; }
    public string? ContentType { get; set; }
    public string? Error { get; set; }

    /// <summary>The stored body in the pages container; null unless the fetch succeeded.</summary>
    public string? BlobName { get; set; }
    public DateTimeOffset? SettledAt { get; set; }

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
