namespace Webhooks.Receiver;

/// <summary>
/// Names of the HTTP headers that Webhooks.Functions sends with every delivery attempt.
/// </summary>
/// <remarks>HTTP header names are case-insensitive; the casing here is the one the sender writes.</remarks>
public static class WebhookHeaders
{
    /// <summary>The event id (Standard Webhooks <c>webhook-id</c>).</summary>
    public const string Id = "webhook-id";

    /// <summary>The attempt's unix time in seconds (Standard Webhooks <c>webhook-timestamp</c>).</summary>
    public const string Timestamp = "webhook-timestamp";

    /// <summary>Space-separated <c>v1,&lt;base64&gt;</c> signatures, one per active secret (Standard Webhooks).</summary>
    public const string Signature = "webhook-signature";

    /// <summary>Lowercase hex HMAC-SHA256 of <c>{X-Webhook-Timestamp}.{body}</c> (crawl-document scheme).</summary>
    public const string HexSignature = "X-Webhook-Signature";

    /// <summary>The attempt's unix time in seconds, signed by the crawl-document scheme.</summary>
    public const string HexTimestamp = "X-Webhook-Timestamp";

    /// <summary>The event type, e.g. <c>event.batch.completed</c>.</summary>
    public const string Event = "X-Webhook-Event";

    /// <summary>The delivery id, stable across the automatic retries of one delivery.</summary>
    public const string DeliveryId = "X-Webhook-Delivery-Id";

    /// <summary>The attempt position, <c>k/n</c>.</summary>
    public const string Attempt = "X-Webhook-Attempt";
}
