using Webhooks.Functions.Delivery;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// The keys of a delivery (SPEC §13): an endpoint's deliveries are signed with the endpoint's own keys, every other
/// delivery (a job's webhook, the default URL, the operations URL) with the team's. The endpoint is read through the
/// same short cache as the gate's, so signing costs no storage read of its own once its keys exist.
/// </summary>
internal sealed class EndpointSigningKeys(EndpointStore store, EndpointSigning signing, TeamStore teams, TimeProvider time) : ISigningKeys
{
    public async Task<SigningKeys?> ForDeliveryAsync(DeliveryEntity delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (delivery.EndpointId is null)
        {
            return (await teams.GetAsync(delivery.TeamId, cancellationToken))?.ActiveKeys(time.GetUtcNow());
        }
        if (await store.GetRecentAsync(delivery.TeamId, delivery.EndpointId, cancellationToken) is not { } endpoint)
        {
            return null;
        }
        var ring = await signing.KeysAsync(endpoint, cancellationToken);
        return ring?.Active(time.GetUtcNow(), endpoint.AsymmetricSigning);
    }
}
