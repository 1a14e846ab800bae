using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// The endpoint's say before each attempt of one of its deliveries (SPEC §8, §9): deleted → the delivery ends failed,
/// disabled → parked, over its rate → wait, moved → sent to its URL now. Deliveries to a job's webhook or a default URL pass without a read.
/// Every recorded attempt is counted in the team's delivery stats, and in its endpoint's stats and health.
/// </summary>
internal sealed class EndpointGate(EndpointStore store, EndpointRateLimiter rates, EndpointHealth health) : IDeliveryGate
{
    public async Task<GateDecision> BeforeAttemptAsync(DeliveryEntity delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (delivery.EndpointId is null)
        {
            return GateDecision.Send;
        }
        var endpoint = await store.GetRecentAsync(delivery.TeamId, delivery.EndpointId, cancellationToken);
        if (endpoint is null)
        {
            return GateDecision.Fail(GateDecision.EndpointDeletedReason);
        }
        if (!endpoint.IsEnabled)
        {
            return GateDecision.Park;
        }
        if (endpoint.RateLimitPerSecond is { } limit && await rates.TryTakeAsync(endpoint, limit, cancellationToken) is { } until)
        {
            return GateDecision.WaitFor(until);
        }
        // The owner may have corrected the endpoint's URL since this delivery was made: the delivery follows it.
        return endpoint.Url == delivery.Url ? GateDecision.Send : GateDecision.SendTo(endpoint.Url);
    }

    public async Task AttemptRecordedAsync(DeliveryEntity delivery, AttemptResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(result);
        var latency = result.IsDelivered && delivery.DeliveredAt is { } deliveredAt ? deliveredAt - delivery.CreatedAt : (TimeSpan?)null;
        var endpoint = delivery.EndpointId is null ? null : await store.GetRecentAsync(delivery.TeamId, delivery.EndpointId, cancellationToken);
        await health.CountAsync(delivery.TeamId, endpoint, result, latency, cancellationToken);
    }
}
