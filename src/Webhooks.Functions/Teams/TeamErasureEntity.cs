using Azure;
using Azure.Data.Tables;

namespace Webhooks.Functions.Teams;

/// <summary>
/// The tombstone of a deleted team: row <see cref="Row"/> in the team's partition of the teams table, written before
/// anything is deleted and removed only when nothing of the team is left, so an erasure cut short by a crash resumes at
/// the next sweep.
/// </summary>
internal sealed class TeamErasureEntity : ITableEntity
{
    public const string Row = "erasure";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = Row;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public DateTimeOffset RequestedAt { get; set; }
}
