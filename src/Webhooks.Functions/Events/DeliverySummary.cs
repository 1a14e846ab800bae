using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Events;

/// <summary>A delivery as an event listing and a redeliver answer show it.</summary>
internal sealed record DeliverySummary(
    string Id,
    string Url,
    string? EndpointId,
    [property: AllowedValues(DeliveryStatus.Pending, DeliveryStatus.Delivered, DeliveryStatus.Failed, DeliveryStatus.Parked)] string Status,
    [property: Description("The attempt in progress or last made, as `attempt/max_attempts`.")] string Attempt) : IApiExample<DeliverySummary>
{
    public static DeliverySummary Example => new(ApiExamples.DeliveryId, ApiExamples.WebhookUrl, null, DeliveryStatus.Pending, "1/5");

    public static DeliverySummary From(DeliveryEntity delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new(delivery.DeliveryId, delivery.Url, delivery.EndpointId, delivery.Status, delivery.Attempt);
    }
}
