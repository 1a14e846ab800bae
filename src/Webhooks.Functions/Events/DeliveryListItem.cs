using System.ComponentModel.DataAnnotations;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Events;

/// <summary>One delivery of <c>GET /v1/deliveries</c>: SPEC §5's Table Storage record as the API shows it.</summary>
internal sealed record DeliveryListItem(
    string Id,
    string EventId,
    string EventType,
    string Url,
    string? EndpointId,
    [property: AllowedValues(DeliveryStatus.Pending, DeliveryStatus.Delivered, DeliveryStatus.Failed, DeliveryStatus.Parked)] string Status,
    string Attempt,
    int AttemptsMade,
    int MaxAttempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset CreatedAt) : IApiExample<DeliveryListItem>
{
    public static DeliveryListItem Example => new(ApiExamples.DeliveryId, ApiExamples.EventId, EventTypes.BatchCompleted, ApiExamples.WebhookUrl, null,
        DeliveryStatus.Failed, "5/5", 5, 5, null, null, 500, "HTTP 500 Internal Server Error", ApiExamples.CompletedAt);

    public static DeliveryListItem From(DeliveryEntity delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new(delivery.DeliveryId, delivery.EventId, delivery.EventType, delivery.Url, delivery.EndpointId, delivery.Status, delivery.Attempt,
            delivery.AttemptsMade, delivery.MaxAttempts, delivery.NextAttemptAt, delivery.DeliveredAt, delivery.LastStatusCode,
            delivery.LastError, delivery.CreatedAt);
    }
}
