namespace Webhooks.Functions.Events;

/// <summary>
/// The team's registered destinations of an event type beside its default URL (SPEC §8): the Endpoints feature answers,
/// so that Events fans an event out without knowing how endpoints are stored.
/// </summary>
internal interface IEventDestinations
{
    /// <summary>The team's endpoints that receive <paramref name="eventType"/>, enabled or not.</summary>
    Task<IReadOnlyList<EventDestination>> ForAsync(string teamId, string eventType, CancellationToken cancellationToken);
}

/// <summary>An endpoint an event goes to; a delivery to a disabled one is parked instead of attempted.</summary>
internal sealed record EventDestination(string EndpointId, string Url, bool IsEnabled);
