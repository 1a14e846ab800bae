namespace Webhooks.Functions.Delivery;

/// <summary>
/// The headers of every attempt (SPEC §4): <see cref="WebhookSender"/> sends them, the OpenAPI document's
/// <c>webhooks</c> describe them from <see cref="Described"/>, so the two cannot drift apart.
/// </summary>
internal static class WebhookHeaders
{
    public const string Id = "webhook-id";
    public const string Timestamp = "webhook-timestamp";
    public const string Signature = "webhook-signature";
    public const string Event = "X-Webhook-Event";
    public const string DeliveryId = "X-Webhook-Delivery-Id";
    public const string Attempt = "X-Webhook-Attempt";
    public const string HexTimestamp = "X-Webhook-Timestamp";
    public const string HexSignature = "X-Webhook-Signature";

    public static readonly IReadOnlyList<(string Name, string Description)> Described =
    [
        (Id, "The event id, the same on every attempt and redelivery: use it to drop duplicates (Standard Webhooks)."),
        (Timestamp, "This attempt's Unix time in seconds (Standard Webhooks)."),
        (Signature, "`v1,<base64 HMAC-SHA256>` of `{webhook-id}.{webhook-timestamp}.{body}` for each active secret, then, with asymmetric_signing on, `v1a,<base64 Ed25519 signature>` of the same content for each active key; space-separated (Standard Webhooks)."),
        (Event, "The event type."),
        (DeliveryId, "The delivery id, stable across the automatic retries of this delivery."),
        (Attempt, "`attempt/max_attempts`, as the body's delivery_attempt."),
        (HexTimestamp, "Same as webhook-timestamp."),
        (HexSignature, "Lowercase hex HMAC-SHA256 of `{X-Webhook-Timestamp}.{body}` keyed with the newest whole `whsec_…` secret."),
    ];
}
