using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Events;

/// <summary>A delivery as an event listing and a redeliver answer show it.</summary>
internal sealed record DeliverySummary(string Id, string Url, string Status, string Attempt)
{
    public static DeliverySummary From(DeliveryEntity delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new(delivery.DeliveryId, delivery.Url, delivery.Status, delivery.Attempt);
    }
}
