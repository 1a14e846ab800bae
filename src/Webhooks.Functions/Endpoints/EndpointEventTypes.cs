using Webhooks.Functions.Events;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// The event types an endpoint can ask for in <c>event_types</c>: every known type except the operational ones
/// (SPEC §9), which go only to the team's <c>operations_webhook_url</c> and so never to an endpoint.
/// </summary>
internal static class EndpointEventTypes
{
    /// <summary>The operational event types of SPEC §9, by name, so that an endpoint is refused them with a reason.</summary>
    public static readonly IReadOnlyList<string> Operational = ["event.endpoint.failing", "event.endpoint.disabled", "event.delivery.exhausted"];

    public static IReadOnlyList<string> Subscribable { get; } = EventTypes.All.Where(t => !Operational.Contains(t, StringComparer.Ordinal)).ToList();

    /// <summary>Null when an endpoint may receive <paramref name="type"/>, else why not.</summary>
    public static string? Check(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (Operational.Contains(type, StringComparer.Ordinal))
        {
            return $"{type} is an operational event: operational events go only to the team's operations_webhook_url (PATCH /v1/team), never to an endpoint.";
        }
        return Subscribable.Contains(type, StringComparer.Ordinal) ? null : $"must be one of: {string.Join(", ", Subscribable)}.";
    }
}
