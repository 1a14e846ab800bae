using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace Webhooks.Functions.Events;

/// <summary>
/// A listing row of the eventindex table: partition = team id, row = kind + newest-first time + id, pointing at the
/// partition where the event or delivery lives. Written after the fact and idempotently; never the only record.
/// </summary>
internal sealed class IndexEntity : ITableEntity
{
    public const string EventKind = "e";
    public const string DeliveryKind = "d";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string EventId { get; set; } = "";
    public string? DeliveryId { get; set; }
    public string Type { get; set; } = "";
    public string? ResourceId { get; set; }

    /// <summary>The jobs-table partition holding the event (and its deliveries).</summary>
    public string Target { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Sorts newest first: row keys ascend while times descend.</summary>
    public static string RowKeyFor(string kind, DateTimeOffset createdAt, string id) =>
        $"{kind}_{(DateTimeOffset.MaxValue.UtcTicks - createdAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture)}_{id}";

    /// <summary>The row key bound for "created at or before <paramref name="time"/>" in a newest-first scan.</summary>
    public static string RowKeyBound(string kind, DateTimeOffset time) =>
        $"{kind}_{(DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks).ToString("D19", CultureInfo.InvariantCulture)}";
}
