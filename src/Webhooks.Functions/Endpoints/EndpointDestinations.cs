using Webhooks.Functions.Events;

namespace Webhooks.Functions.Endpoints;

/// <summary>Answers Events' fan-out (SPEC §8): the team's endpoints that receive an event type.</summary>
internal sealed class EndpointDestinations(EndpointStore store) : IEventDestinations
{
    public async Task<IReadOnlyList<EventDestination>> ForAsync(string teamId, string eventType, CancellationToken cancellationToken)
    {
        if (EventTypes.IsOperational(eventType))
        {
            // Operational events go only to the team's operations_webhook_url.
            return [];
        }
        var endpoints = await store.ListRecentAsync(teamId, cancellationToken);
        return [.. endpoints.Where(e => e.Receives(eventType)).Select(e => new EventDestination(e.EndpointId, e.Url, e.IsEnabled))];
    }
}
