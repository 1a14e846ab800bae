namespace Webhooks.Functions.Events;

/// <summary>One event of <c>GET /v1/events</c>; <c>object</c> is the event type, as in the webhook envelope.</summary>
internal sealed record EventListItem(string Id, string Object, DateTimeOffset CreatedAt, string? ResourceId, IReadOnlyList<DeliverySummary> Deliveries);
