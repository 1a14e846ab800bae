namespace Webhooks.Functions.Delivery;

/// <summary>
/// What a delivery's destination asks its attempts to carry (SPEC §13: custom headers, an OAuth 2.0 bearer token, a
/// client certificate), asked by <see cref="WebhookSender"/> before each attempt and answered by the Endpoints
/// feature: Delivery knows nothing of endpoints, only these settings.
/// </summary>
internal interface IAttemptOutbound
{
    /// <summary>The settings of the next attempt of <paramref name="delivery"/>; <see cref="AttemptOutboundSettings.None"/> when there are none.</summary>
    Task<AttemptOutboundSettings> ForAttemptAsync(DeliveryEntity delivery, CancellationToken cancellationToken);
}
