using Azure;
using Azure.Data.Tables;

namespace Webhooks.Functions.Api;

/// <summary>
/// One <c>Idempotency-Key</c> of a team: partition = team id, row = SHA-256 hex of the key. Reserved (with the id of
/// the job it will create) before anything is created, completed with the answer that was sent.
/// </summary>
internal sealed class IdempotencyEntity : ITableEntity
{
    public const string Reserved = "reserved";
    public const string Done = "done";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    /// <summary>SHA-256 hex of method, path and body bytes: a different request under the same key is a 422.</summary>
    public string RequestHash { get; set; } = "";

    /// <summary>The job this request creates; a retry after a crash finishes this one instead of making another.</summary>
    public string JobId { get; set; } = "";
    public string State { get; set; } = Reserved;

    /// <summary>Until when the request that reserved the key is presumed alive; afterwards a retry takes over.</summary>
    public DateTimeOffset LockedUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public int? ResponseStatus { get; set; }
    public string? ResponseBody { get; set; }
    public string? ResponseLocation { get; set; }
}
