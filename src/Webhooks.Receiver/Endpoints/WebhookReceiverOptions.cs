namespace Webhooks.Receiver;

/// <summary>Settings of an endpoint mapped with <c>MapWebhook</c>; bindable from configuration.</summary>
public sealed class WebhookReceiverOptions
{
    /// <summary>The default <see cref="ProcessingLease"/>: 5 minutes.</summary>
    public static readonly TimeSpan DefaultProcessingLease = TimeSpan.FromMinutes(5);

    /// <summary>The default <see cref="MaxBodyBytes"/>: 1 MiB.</summary>
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>
    /// The signing secrets (<c>whsec_…</c>) to accept. During a rotation list both the new and the previous one; a
    /// delivery verifies if it matches any of them. An entry starting <c>whpk_</c> is taken as an Ed25519 public key, as
    /// if listed in <see cref="PublicKeys"/>. At least one secret or public key is required.
    /// </summary>
    public IList<string> Secrets { get; } = [];

    /// <summary>
    /// The Ed25519 public keys (<c>whpk_…</c>, from <c>GET /v1/endpoints/{id}/public-keys</c> or
    /// <c>GET /v1/team/public-keys</c>) whose <c>v1a</c> signatures are accepted. During a rotation list both.
    /// </summary>
    public IList<string> PublicKeys { get; } = [];

    /// <summary>How far the signed timestamp may be from now, in either direction. Default 5 minutes.</summary>
    public TimeSpan Tolerance { get; set; } = WebhookVerifier.DefaultTolerance;

    /// <summary>
    /// Whether deliveries signed only with the crawl-document hex scheme (<c>X-Webhook-Signature</c>) are accepted.
    /// Default <see langword="true"/>.
    /// </summary>
    public bool AcceptHexSignatures { get; set; } = true;

    /// <summary>
    /// Where processed event ids are remembered. When <see langword="null"/>, an <see cref="IWebhookIdempotencyStore"/>
    /// registered in the service container is used, else a private <see cref="InMemoryWebhookIdempotencyStore"/>.
    /// </summary>
    public IWebhookIdempotencyStore? IdempotencyStore { get; set; }

    /// <summary>
    /// How long a delivery being handled blocks other deliveries of the same event; after it a crashed attempt's claim
    /// lapses. Set it above your handler's longest run. Default 5 minutes.
    /// </summary>
    public TimeSpan ProcessingLease { get; set; } = DefaultProcessingLease;

    /// <summary>Largest accepted body; a larger one is answered <c>413</c>. Default 1 MiB.</summary>
    public long MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="InvalidOperationException">A setting is out of range; the message names it.</exception>
    internal void Validate()
    {
        if ((Secrets.Count == 0 && PublicKeys.Count == 0) || Secrets.Any(string.IsNullOrWhiteSpace) || PublicKeys.Any(string.IsNullOrWhiteSpace))
        {
            throw new InvalidOperationException(
                $"{nameof(WebhookReceiverOptions)}.{nameof(Secrets)} or {nameof(PublicKeys)} needs at least one non-empty signing secret or public key.");
        }

        if (Tolerance < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{nameof(WebhookReceiverOptions)}.{nameof(Tolerance)} must not be negative.");
        }

        if (ProcessingLease <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{nameof(WebhookReceiverOptions)}.{nameof(ProcessingLease)} must be positive.");
        }

        if (MaxBodyBytes is <= 0 or > int.MaxValue)
        {
            throw new InvalidOperationException($"{nameof(WebhookReceiverOptions)}.{nameof(MaxBodyBytes)} must be between 1 and {int.MaxValue}.");
        }
    }
}
