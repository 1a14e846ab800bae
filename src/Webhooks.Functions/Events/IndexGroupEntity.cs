using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;

namespace Webhooks.Functions.Events;

/// <summary>
/// A row of the eventindex table: up to <see cref="MaxEntries"/> listing entries of one team and kind written
/// together, created within <see cref="MaxSpread"/> of each other. Partition = team id; row key = the newest entry's key
/// plus a digest of the entries, so rewriting the same entries is an idempotent upsert and a different packing of them
/// only adds a row (readers drop duplicate entries).
/// </summary>
/// <remarks>
/// Why packed: under load the events of one team arrive hundreds a second, and one row per event made the team's
/// partition the hot spot of the whole delivery path (Azurite's cost per write grows with the partition; Azure Tables
/// caps a partition at about 2,000 entities a second). Packed, a burst costs a handful of rows.
/// </remarks>
internal sealed class IndexGroupEntity : ITableEntity
{
    public const int MaxEntries = 50;
    public static readonly TimeSpan MaxSpread = TimeSpan.FromSeconds(10);

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    /// <summary>JSON array of the entries, newest first.</summary>
    public string Entries { get; set; } = "[]";

    /// <summary>Packs one team's entries (any kinds, any order) into rows; duplicates are written once.</summary>
    public static IEnumerable<IndexGroupEntity> Pack(string teamId, IEnumerable<IndexEntity> entries)
    {
        var group = new List<IndexEntity>(MaxEntries);
        foreach (var entry in entries.DistinctBy(e => e.RowKey).OrderBy(e => e.RowKey, StringComparer.Ordinal))
        {
            if (group.Count > 0 && (group.Count == MaxEntries || entry.RowKey[0] != group[0].RowKey[0] || group[0].CreatedAt - entry.CreatedAt > MaxSpread))
            {
                yield return ToRow(teamId, group);
                group = new List<IndexEntity>(MaxEntries);
            }
            group.Add(entry);
        }
        if (group.Count > 0)
        {
            yield return ToRow(teamId, group);
        }
    }

    public IEnumerable<IndexEntity> Unpack() =>
        (JsonSerializer.Deserialize<List<PackedEntry>>(Entries) ?? []).Select(e => new IndexEntity
        {
            PartitionKey = PartitionKey,
            RowKey = e.Key,
            EventId = e.EventId,
            DeliveryId = e.DeliveryId,
            Type = e.Type,
            ResourceId = e.ResourceId,
            Target = e.Target,
            CreatedAt = e.CreatedAt,
        });

    private static IndexGroupEntity ToRow(string teamId, List<IndexEntity> group)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', group.Select(e => e.RowKey)))))[..12];
        return new IndexGroupEntity
        {
            PartitionKey = teamId,
            RowKey = group[0].RowKey + "_" + digest,
            Entries = JsonSerializer.Serialize(group.Select(e =>
                new PackedEntry(e.RowKey, e.EventId, e.DeliveryId, e.Type, e.ResourceId, e.Target, e.CreatedAt))),
        };
    }

    /// <summary>The stored form of an entry; short names keep a full row far below the 64 KiB property limit.</summary>
    private sealed record PackedEntry(
        [property: JsonPropertyName("k")] string Key,
        [property: JsonPropertyName("e")] string EventId,
        [property: JsonPropertyName("d")] string? DeliveryId,
        [property: JsonPropertyName("t")] string Type,
        [property: JsonPropertyName("r")] string? ResourceId,
        [property: JsonPropertyName("p")] string Target,
        [property: JsonPropertyName("c")] DateTimeOffset CreatedAt);

    /// <summary>
    /// The lowest row key a group may have and still hold an entry after <paramref name="entryBound"/>: a group's key
    /// is its newest entry's, and its other entries are at most <see cref="MaxSpread"/> older.
    /// </summary>
    public static string LowestGroupKeyFor(string kind, string entryBound)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return IndexEntity.ReversedTicks(entryBound) is { } ticks
            ? $"{kind}_{Math.Max(0, ticks - MaxSpread.Ticks).ToString("D19", CultureInfo.InvariantCulture)}"
            : entryBound;
    }
}
