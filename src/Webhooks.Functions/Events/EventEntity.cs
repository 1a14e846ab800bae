using Azure;
using Azure.Data.Tables;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Events;

/// <summary>
/// The event row. It lives in its job's partition of the jobs table (row <see cref="Row"/>), so that completing the
/// job, raising the event and creating its first delivery are one transaction; an <c>event.ping</c> has a partition
/// of its own named after the event id.
/// </summary>
internal sealed class EventEntity : ITableEntity
{
    public const string Row = "event";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = Row;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string EventId { get; set; } = "";
    public string Type { get; set; } = "";
    public string TeamId { get; set; } = "";
    public string? ResourceId { get; set; }

    /// <summary>The envelope's <c>data</c>: compact JSON of the job object as GET returned it at completion.</summary>
    public string Data { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>What its deliveries send of it.</summary>
    public DeliveredEvent ToDelivered() => new(EventId, Type, Data);
}
