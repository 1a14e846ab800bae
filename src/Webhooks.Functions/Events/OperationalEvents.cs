using System.Text.Json;
using Webhooks.Functions.Api;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Events;

/// <summary>
/// Raises SPEC §9's operational events, each to the team's <c>operations_webhook_url</c> (recorded with no delivery
/// when it has none) and listed in the event log like any other. Ids are derived from what the event is about, so a
/// repeated raise (a re-run activity, two instances) raises it once.
/// </summary>
internal sealed class OperationalEvents(EventRaiser raiser, TeamStore teams) : IDeliveryEndings
{
    /// <summary>Raises <paramref name="eventType"/> about <paramref name="resourceId"/> under the id derived from <paramref name="idSeed"/>.</summary>
    public async Task RaiseAsync<TData>(string teamId, string eventType, string resourceId, string idSeed, TData data, CancellationToken cancellationToken)
    {
        var team = await teams.GetAsync(teamId, cancellationToken);
        if (team is null)
        {
            return;
        }
        await raiser.RaiseOwnAsync(teamId, Ids.Derived(Ids.EventPrefix, idSeed), eventType, resourceId,
            JsonSerializer.Serialize(data, ApiJson.Options), team.OperationsWebhookUrl, team.RetryPolicy, cancellationToken);
    }

    /// <summary>
    /// <c>event.delivery.exhausted</c>. Not for an operational event's own delivery (a failing operations URL would
    /// otherwise feed itself) nor for one ended because the customer deleted its endpoint.
    /// </summary>
    public Task DeliveryFailedAsync(DeliveryEntity delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (EventTypes.IsOperational(delivery.EventType) || delivery.LastError == GateDecision.EndpointDeletedReason)
        {
            return Task.CompletedTask;
        }
        return RaiseAsync(delivery.TeamId, EventTypes.DeliveryExhausted, delivery.DeliveryId, delivery.DeliveryId + "/exhausted",
            new DeliveryExhaustedData(DeliveryListItem.From(delivery)), cancellationToken);
    }
}

/// <summary>The <c>data</c> of <c>event.delivery.exhausted</c>: the delivery as <c>GET /v1/deliveries</c> lists it.</summary>
internal sealed record DeliveryExhaustedData(DeliveryListItem Delivery) : IApiExample<DeliveryExhaustedData>
{
    public static DeliveryExhaustedData Example => new(DeliveryListItem.Example);
}
