using System.Globalization;

namespace Webhooks.Functions.Events;

/// <summary>
/// One listing entry (team → event, or team → delivery): its key is kind + newest-first time + id, and it points at the
/// partition where the event or delivery lives. Entries are stored packed in <see cref="IndexGroupEntity"/> rows;
/// written after the fact and idempotently, never the only record.
/// </summary>
internal sealed class IndexEntity
{
    public const string EventKind = "e";
    public const string DeliveryKind = "d";

    /// <summary>The team.</summary>
    public string PartitionKey { get; set; } = "";

    /// <summary>The entry's sort key, also the list cursor's position.</summary>
    public string RowKey { get; set; } = "";

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

    /// <summary>The reversed ticks inside a key or bound (<c>e_0123…</c>), when it has them.</summary>
    public static long? ReversedTicks(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length >= 21 && long.TryParse(key.AsSpan(2, 19), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
    }

    /// <summary>The row key bound for "created at or before <paramref name="time"/>" in a newest-first scan.</summary>
    public static string RowKeyBound(string kind, DateTimeOffset time) =>
        $"{kind}_{(DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks).ToString("D19", CultureInfo.InvariantCulture)}";
}
