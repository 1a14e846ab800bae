namespace Webhooks.Functions.Delivery;

/// <summary>
/// The keys a delivery is signed with (SPEC §13), asked by <see cref="DeliveryAttemptActivity"/> before each attempt and
/// answered by the Endpoints feature: an endpoint's own keys for its deliveries, the team's for a job's webhook, the
/// default URL and the operations URL. Delivery knows nothing of whose keys they are.
/// </summary>
internal interface ISigningKeys
{
    /// <summary>The keys to sign the next attempt with; null when the delivery's endpoint or team no longer exists.</summary>
    Task<SigningKeys?> ForDeliveryAsync(DeliveryEntity delivery, CancellationToken cancellationToken);
}
