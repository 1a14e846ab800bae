namespace Webhooks.Receiver;

/// <summary>
/// Remembers which events were processed so that a redelivered event is handled once. Implementations must be
/// thread-safe and make <see cref="TryClaimAsync"/> atomic: of several concurrent claims on one key, one wins.
/// </summary>
/// <remarks>
/// A claim is a lease: if the process dies while handling an event, the claim lapses and a later delivery of the same
/// event is processed. A key is marked processed only after the handler succeeded.
/// </remarks>
public interface IWebhookIdempotencyStore
{
    /// <summary>Tries to claim <paramref name="key"/> for processing.</summary>
    /// <param name="key">The de-duplication key (the event id).</param>
    /// <param name="lease">How long the claim holds if it is neither marked processed nor released.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the caller now owns the key, or why not.</returns>
    Task<WebhookClaimResult> TryClaimAsync(string key, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records that the event under a claimed <paramref name="key"/> was processed.</summary>
    /// <param name="key">The de-duplication key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is stored.</returns>
    Task MarkProcessedAsync(string key, CancellationToken cancellationToken);

    /// <summary>Gives up a claim after a failed attempt so that the next delivery processes the event.</summary>
    /// <param name="key">The de-duplication key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the claim is removed.</returns>
    Task ReleaseAsync(string key, CancellationToken cancellationToken);
}
