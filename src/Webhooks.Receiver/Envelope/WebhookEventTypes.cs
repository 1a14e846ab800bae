namespace Webhooks.Receiver;

/// <summary>The event types (the envelope's <c>object</c>) Webhooks.Functions raises.</summary>
public static class WebhookEventTypes
{
    /// <summary>Every item of a batch has settled; <c>data</c> is a <see cref="BatchCompletedData"/>.</summary>
    public const string BatchCompleted = "event.batch.completed";

    /// <summary>A crawl has processed every page it will process; <c>data</c> is a <see cref="CrawlData"/>.</summary>
    public const string CrawlCompleted = "event.crawl.completed";

    /// <summary>A crawl's start URL failed; <c>data</c> is a <see cref="CrawlData"/> with an <c>error</c>.</summary>
    public const string CrawlFailed = "event.crawl.failed";

    /// <summary>A test delivery from <c>POST /v1/webhooks/test</c>; <c>data</c> is loosely shaped.</summary>
    public const string Ping = "event.ping";

    /// <summary>
    /// Sent to the team's operations URL: most attempts to one of its endpoints failed in the health window; <c>data</c>
    /// has the <c>endpoint</c> and its <c>health</c> (schema: <c>schemas/event.endpoint.failing.json</c>).
    /// </summary>
    public const string EndpointFailing = "event.endpoint.failing";

    /// <summary>
    /// Sent to the team's operations URL: an endpoint was disabled and its events are parked until it is enabled;
    /// <c>data</c> has the <c>endpoint</c> and its <c>health</c>.
    /// </summary>
    public const string EndpointDisabled = "event.endpoint.disabled";

    /// <summary>Sent to the team's operations URL: a delivery ended failed; <c>data.delivery</c> is that delivery.</summary>
    public const string DeliveryExhausted = "event.delivery.exhausted";
}
