namespace Webhooks.Functions.Delivery;

/// <summary>
/// Whether the team a delivery belongs to still exists, asked by <see cref="DeliveryAttemptActivity"/> before each
/// attempt and answered by the Teams feature. A delivery whose team is gone ends without an attempt.
/// </summary>
internal interface IDeliveryOwners
{
    Task<bool> ExistsAsync(string teamId, CancellationToken cancellationToken);
}
