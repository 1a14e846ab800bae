namespace Webhooks.Functions.Delivery;

/// <summary>
/// Told when a delivery has ended failed (SPEC §9: <c>event.delivery.exhausted</c>), by
/// <see cref="DeliveryExhaustedActivity"/>; implemented by Events, which raises the operational event.
/// </summary>
internal interface IDeliveryEndings
{
    /// <summary>Raises what a failed delivery raises; idempotent, so a re-run of the activity raises nothing twice.</summary>
    Task DeliveryFailedAsync(DeliveryEntity delivery, CancellationToken cancellationToken);
}
