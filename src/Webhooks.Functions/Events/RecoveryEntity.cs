using Azure;
using Azure.Data.Tables;

namespace Webhooks.Functions.Events;

/// <summary>
/// The mark that a failed delivery was recovered: row <c>recovered_&lt;delivery id&gt;</c> next to the delivery in
/// its event's partition. It is added in the same transaction as the replacement delivery, so a delivery is either
/// recovered (mark and replacement both exist) or not, and a second recover of it fails the insert instead of
/// sending again.
/// </summary>
internal sealed class RecoveryEntity : ITableEntity
{
    public const string RowPrefix = "recovered_";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    /// <summary>The failed delivery that was recovered.</summary>
    public string DeliveryId { get; set; } = "";

    /// <summary>The delivery that replaced it.</summary>
    public string RecoveredBy { get; set; } = "";
    public DateTimeOffset RecoveredAt { get; set; }

    /// <summary>The window of the recover call that did it, for whoever investigates later.</summary>
    public DateTimeOffset WindowSince { get; set; }
    public DateTimeOffset WindowUntil { get; set; }

    public static string RowKeyFor(string deliveryId) => RowPrefix + deliveryId;
}
