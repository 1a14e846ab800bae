using Webhooks.Functions.Events;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// The event types an endpoint can ask for in <c>event_types</c>: every known type except the operational ones
/// (SPEC §9), which go only to the team's <c>operations_webhook_url</c> and so never to an endpoint.
/// </summary>
internal static class EndpointEventTypes
{
    public static IReadOnlyList<string> Subscribable { get; } = EventTypes.All.Where(t => !EventTypes.IsOperational(t)).ToList();

    /// <summary>Null when an endpoint may receive <paramref name="type"/>, else why not.</summary>
    public static string? Check(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (EventTypes.IsOperational(type))
        {
            return $"{type} is an operational event: operational events go only to the team's operations_webhook_url (PATCH /v1/team), never to an endpoint.";
        }
        return Subscribable.Contains(type, StringComparer.Ordinal) ? null : $"must be one of: {string.Join(", ", Subscribable)}.";
    }
}
