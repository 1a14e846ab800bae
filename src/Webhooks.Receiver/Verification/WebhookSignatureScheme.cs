namespace Webhooks.Receiver;

/// <summary>The signature scheme a delivery was verified with.</summary>
public enum WebhookSignatureScheme
{
    /// <summary>Standard Webhooks: <c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>.</summary>
    StandardWebhooks = 1,

    /// <summary>Crawl-document scheme: <c>X-Webhook-Timestamp</c> and lowercase hex <c>X-Webhook-Signature</c>.</summary>
    Hex = 2,
}
