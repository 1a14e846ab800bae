using Azure;
using Azure.Data.Tables;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// The history of a delivery: one row per attempt, <c>attempt_&lt;delivery id&gt;_&lt;k&gt;</c>, added in the same
/// transaction that updates the delivery, so an attempt number can never be recorded twice.
/// </summary>
internal sealed class AttemptEntity : ITableEntity
{
    public const string RowPrefix = "attempt_";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string DeliveryId { get; set; } = "";

    /// <summary><c>"k/n"</c>.</summary>
    public string Attempt { get; set; } = "";
    public int AttemptNumber { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public long DurationMs { get; set; }
    public string Outcome { get; set; } = "";
    public int? StatusCode { get; set; }
    public string? ResponseExcerpt { get; set; }
    public string? Error { get; set; }

    public static string RowKeyFor(string deliveryId, int attempt) => $"{RowPrefix}{deliveryId}_{attempt:D3}";

    public static string RowPrefixFor(string deliveryId) => $"{RowPrefix}{deliveryId}_";

    /// <summary>The row of attempt <paramref name="attempt"/> of <paramref name="delivery"/>: the only place an attempt row is built.</summary>
    public static AttemptEntity For(DeliveryEntity delivery, int attempt, AttemptResult result)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(result);
        return new AttemptEntity
        {
            PartitionKey = delivery.PartitionKey,
            RowKey = RowKeyFor(delivery.DeliveryId, attempt),
            DeliveryId = delivery.DeliveryId,
            Attempt = DeliveryEntity.FormatAttempt(attempt, delivery.MaxAttempts),
            AttemptNumber = attempt,
            StartedAt = result.StartedAt,
            DurationMs = (long)result.Duration.TotalMilliseconds,
            Outcome = result.Outcome,
            StatusCode = result.StatusCode,
            ResponseExcerpt = result.ResponseExcerpt,
            Error = result.Error,
        };
    }
}
