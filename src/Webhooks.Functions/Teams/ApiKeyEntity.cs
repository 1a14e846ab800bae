using Azure;
using Azure.Data.Tables;

namespace Webhooks.Functions.Teams;

/// <summary>Row of the apikeys table: partition = SHA-256 of the key (hex), so the key itself is never stored.</summary>
internal sealed class ApiKeyEntity : ITableEntity
{
    public const string Row = "key";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = Row;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string TeamId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
