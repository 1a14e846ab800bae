namespace Webhooks.Functions.Events;

/// <summary>
/// The event types of SPEC §4, as they appear in the envelope's <c>object</c> and <c>X-Webhook-Event</c>: the one
/// list of them. Each has its JSON Schema in the repository's <c>schemas/</c> (<see cref="EventTypeCatalog"/>).
/// </summary>
internal static class EventTypes
{
    public const string BatchCompleted = "event.batch.completed";
    public const string CrawlCompleted = "event.crawl.completed";
    public const string CrawlFailed = "event.crawl.failed";
    public const string Ping = "event.ping";
    public const string EndpointFailing = "event.endpoint.failing";
    public const string EndpointDisabled = "event.endpoint.disabled";
    public const string DeliveryExhausted = "event.delivery.exhausted";

    /// <summary>The operational events of SPEC §9: delivered only to the team's operations_webhook_url.</summary>
    public static readonly string[] Operational = [EndpointFailing, EndpointDisabled, DeliveryExhausted];

    public static readonly string[] All = [BatchCompleted, CrawlCompleted, CrawlFailed, Ping, .. Operational];

    public static bool IsOperational(string type) => Operational.Contains(type, StringComparer.Ordinal);
}
