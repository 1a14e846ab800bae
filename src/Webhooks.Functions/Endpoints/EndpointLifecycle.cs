using Webhooks.Functions.Delivery;
using Webhooks.Functions.Events;

namespace Webhooks.Functions.Endpoints;

/// <summary>What happens to an endpoint's deliveries when it is deleted or enabled again (SPEC §8, §9).</summary>
internal sealed partial class EndpointLifecycle(
    EndpointStore store, DeliveryLog log, DeliveryOverrides overrides, TimeProvider time, ILogger<EndpointLifecycle> logger)
{
    private const int ScanChunk = 100;

    /// <summary>
    /// Deletes the endpoint, then ends its pending and parked deliveries as failed (<c>endpoint deleted</c>) and deletes
    /// its health counts; false if it did not exist. Deleted first, so that a delivery created meanwhile fails at its
    /// attempt instead of going out.
    /// </summary>
    public async Task<bool> DeleteAsync(string teamId, string endpointId, CancellationToken cancellationToken)
    {
        var endpoint = await store.GetAsync(teamId, endpointId, cancellationToken);
        if (endpoint is null || !await store.DeleteAsync(teamId, endpointId, cancellationToken))
        {
            return false;
        }
        var ended = 0;
        await foreach (var delivery in UnfinishedDeliveriesAsync(endpoint, cancellationToken))
        {
            if (await overrides.EndAsync(delivery, GateDecision.EndpointDeletedReason, CancellationToken.None))
            {
                ended++;
            }
        }
        await store.DeleteWorkingStateAsync(endpointId, CancellationToken.None);
        LogDeleted(logger, endpointId, ended);
        return true;
    }

    /// <summary>Enables the endpoint; with <paramref name="recover"/>, resumes every parked delivery. Null endpoint when it does not exist.</summary>
    public async Task<(EndpointEntity? Endpoint, int Recovered)> EnableAsync(string teamId, string endpointId, bool recover, CancellationToken cancellationToken)
    {
        var endpoint = await store.UpdateAsync(teamId, endpointId, e =>
        {
            if (e.IsEnabled)
            {
                return false;
            }
            e.Status = EndpointStatus.Enabled;
            e.DisabledReason = null;
            e.EnabledAt = time.GetUtcNow();
            return true;
        }, cancellationToken);
        if (endpoint is null || !recover)
        {
            return (endpoint, 0);
        }
        var parked = new List<DeliveryEntity>();
        await foreach (var delivery in UnfinishedDeliveriesAsync(endpoint, cancellationToken))
        {
            if (delivery.Status == DeliveryStatus.Parked)
            {
                parked.Add(delivery);
            }
        }
        var recovered = await overrides.ResumeParkedAsync(parked, CancellationToken.None);
        LogRecovered(logger, endpointId, recovered);
        return (endpoint, recovered);
    }

    /// <summary>The endpoint's pending and parked deliveries, found through the team's delivery log since the endpoint was created.</summary>
    private async IAsyncEnumerable<DeliveryEntity> UnfinishedDeliveriesAsync(
        EndpointEntity endpoint, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (_, delivery) in log.ScanDeliveriesAsync(endpoint.TeamId, after: null, since: endpoint.CreatedAt, until: null, ScanChunk, cancellationToken))
        {
            if (delivery is { Status: DeliveryStatus.Pending or DeliveryStatus.Parked } && delivery.EndpointId == endpoint.EndpointId)
            {
                yield return delivery;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Endpoint {EndpointId} deleted; {Ended} of its deliveries ended as failed")]
    private static partial void LogDeleted(ILogger logger, string endpointId, int ended);

    [LoggerMessage(Level = LogLevel.Information, Message = "Endpoint {EndpointId} enabled; {Recovered} parked deliveries resumed")]
    private static partial void LogRecovered(ILogger logger, string endpointId, int recovered);
}
