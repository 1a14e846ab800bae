namespace Webhooks.Receiver;

/// <summary>The answer of <see cref="IWebhookIdempotencyStore.TryClaimAsync"/>.</summary>
public enum WebhookClaimResult
{
    /// <summary>The caller owns the key until its lease ends and must process the event.</summary>
    Acquired = 1,

    /// <summary>The event was processed before; the delivery is a duplicate.</summary>
    AlreadyProcessed = 2,

    /// <summary>Another request holds an unexpired claim on the key and may still be processing it.</summary>
    InProgress = 3,
}
