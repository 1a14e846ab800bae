using Azure;
using Azure.Data.Tables;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// The orchestration instance of one delivery (one event to one URL), in the event's partition with row
/// <c>delivery_&lt;id&gt;</c>. Property names are SPEC §5's Table Storage record.
/// </summary>
internal sealed class DeliveryEntity : ITableEntity
{
    public const string RowPrefix = "delivery_";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string DeliveryId { get; set; } = "";
    public string EventId { get; set; } = "";
    public string EventType { get; set; } = "";

    /// <summary>
    /// The envelope's <c>data</c>, copied from the event when the delivery is created, so that an attempt reads one row,
    /// and Delivery needs nothing of the event row. Null on rows written before it existed.
    /// </summary>
    public string? EventData { get; set; }

    public string TeamId { get; set; } = "";

    /// <summary>The endpoint this delivery goes to (SPEC §8); null for a job's own webhook or the team's default URL.</summary>
    public string? EndpointId { get; set; }

    public string Status { get; set; } = DeliveryStatus.Pending;

    /// <summary><c>"k/n"</c>: the attempt in progress or last made.</summary>
    public string Attempt { get; set; } = "";
    public int AttemptsMade { get; set; }
    public int MaxAttempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public string Url { get; set; } = "";
    public string Policy { get; set; } = "";

    /// <summary>The policy's delays when the delivery was created, so a later configuration change cannot reshape it.</summary>
    public string Schedule { get; set; } = "";
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public static string RowKeyFor(string deliveryId) => RowPrefix + deliveryId;

    /// <summary>What this delivery sends; null on a row written before <see cref="EventData"/> existed.</summary>
    public DeliveredEvent? Sends() => EventData is null ? null : new DeliveredEvent(EventId, EventType, EventData);

    /// <summary>A new delivery of an event: pending, attempt 1 due now, the policy's schedule frozen on the row.</summary>
    public static DeliveryEntity NewPending(
        string partition, DeliveredEvent evt, string teamId, string deliveryId, string url, RetryPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(policy);
        return new DeliveryEntity
        {
            PartitionKey = partition,
            RowKey = RowKeyFor(deliveryId),
            DeliveryId = deliveryId,
            EventId = evt.EventId,
            EventType = evt.Type,
            EventData = evt.Data,
            TeamId = teamId,
            Status = DeliveryStatus.Pending,
            Attempt = FormatAttempt(1, policy.MaxAttempts),
            AttemptsMade = 0,
            MaxAttempts = policy.MaxAttempts,
            NextAttemptAt = now,
            Url = url,
            Policy = policy.Name,
            Schedule = policy.ScheduleText,
            CreatedAt = now,
        };
    }

    /// <summary>A delivery of one attempt only (<see cref="OneShotDelivery"/>): written once it has ended, never retried.</summary>
    public static DeliveryEntity NewOneShot(string partition, DeliveredEvent evt, string teamId, string deliveryId, string url, string policyName, DateTimeOffset now) =>
        NewPending(partition, evt, teamId, deliveryId, url, new RetryPolicy(policyName, [TimeSpan.Zero]), now);

    /// <summary>Holds the delivery back with no attempt due (SPEC §9: its endpoint is disabled).</summary>
    public void Park()
    {
        Status = DeliveryStatus.Parked;
        NextAttemptAt = null;
    }

    public static string FormatAttempt(int attempt, int maxAttempts) => $"{attempt}/{maxAttempts}";

    /// <summary>The delivery's new state after attempt <paramref name="attempt"/>: what the attempt row is recorded with.</summary>
    public void Apply(int attempt, AttemptResult result, string status, DateTimeOffset? nextAttemptAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        AttemptsMade = attempt;
        Attempt = FormatAttempt(attempt, MaxAttempts);
        LastStatusCode = result.StatusCode;
        LastError = result.Outcome == AttemptOutcome.Gone ? "gone" : result.Error;
        Status = status;
        NextAttemptAt = nextAttemptAt;
        DeliveredAt = status == DeliveryStatus.Delivered ? now : null;
    }
}
