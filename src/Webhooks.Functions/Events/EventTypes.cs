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

    /// <summary>Operational events (SPEC §9), sent to the team's <c>operations_webhook_url</c>.</summary>
    public const string EndpointFailing = "event.endpoint.failing";
    public const string EndpointDisabled = "event.endpoint.disabled";
    public const string DeliveryExhausted = "event.delivery.exhausted";

    public static readonly string[] All = [BatchCompleted, CrawlCompleted, CrawlFailed, Ping, EndpointFailing, EndpointDisabled, DeliveryExhausted];
}
