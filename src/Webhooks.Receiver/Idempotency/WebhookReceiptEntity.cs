using Azure;
using Azure.Data.Tables;

namespace Webhooks.Receiver;

/// <summary>One row of the receipts table: the claim or the processed mark of one event.</summary>
internal sealed record WebhookReceiptEntity : ITableEntity
{
    public const string ProcessingStatus = "processing";
    public const string ProcessedStatus = "processed";

    // The key is the partition so that receipts spread over partitions; each partition has one row.
    public const string ReceiptRowKey = "receipt";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = ReceiptRowKey;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>The original de-duplication key (the partition key may be its hash).</summary>
    public string Key { get; set; } = "";

    public string Status { get; set; } = ProcessingStatus;

    public DateTimeOffset? LeaseExpiresAt { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }
}
