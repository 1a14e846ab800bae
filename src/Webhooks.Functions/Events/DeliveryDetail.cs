using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Events;

/// <summary>A delivery with its attempt history, as <c>GET /v1/events/{id}</c> shows it.</summary>
internal sealed record DeliveryDetail(
    string Id,
    string Url,
    string Status,
    string Attempt,
    int AttemptsMade,
    int MaxAttempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    IReadOnlyList<AttemptDetail> Attempts)
{
    public static DeliveryDetail From(DeliveryEntity delivery, IEnumerable<AttemptEntity> attempts)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new(delivery.DeliveryId, delivery.Url, delivery.Status, delivery.Attempt, delivery.AttemptsMade, delivery.MaxAttempts,
            delivery.NextAttemptAt, delivery.DeliveredAt, attempts.Select(AttemptDetail.From).ToList());
    }
}
