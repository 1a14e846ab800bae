using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Events;

/// <summary>A delivery with its attempt history, as <c>GET /v1/events/{id}</c> shows it.</summary>
internal sealed record DeliveryDetail(
    string Id,
    string Url,
    string? EndpointId,
    [property: AllowedValues(DeliveryStatus.Pending, DeliveryStatus.Delivered, DeliveryStatus.Failed, DeliveryStatus.Parked)] string Status,
    [property: Description("The attempt in progress or last made, as `attempt/max_attempts`.")] string Attempt,
    int AttemptsMade,
    int MaxAttempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    IReadOnlyList<AttemptDetail> Attempts) : IApiExample<DeliveryDetail>
{
    public static DeliveryDetail Example => new(ApiExamples.DeliveryId, ApiExamples.WebhookUrl, null, DeliveryStatus.Pending, "2/5", 1, 5,
        ApiExamples.CompletedAt.AddMinutes(2), null, [AttemptDetail.Example]);

    public static DeliveryDetail From(DeliveryEntity delivery, IEnumerable<AttemptEntity> attempts)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new(delivery.DeliveryId, delivery.Url, delivery.EndpointId, delivery.Status, delivery.Attempt, delivery.AttemptsMade, delivery.MaxAttempts,
            delivery.NextAttemptAt, delivery.DeliveredAt, attempts.Select(AttemptDetail.From).ToList());
    }
}
