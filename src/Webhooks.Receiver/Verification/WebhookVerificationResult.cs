namespace Webhooks.Receiver;

/// <summary>The outcome of <see cref="WebhookVerifier.Verify(WebhookSignatureHeaders, ReadOnlySpan{byte})"/>.</summary>
public sealed record WebhookVerificationResult
{
    /// <summary><see langword="true"/> when a signature matched and the timestamp is within tolerance.</summary>
    public bool IsValid => Failure == WebhookVerificationFailure.None;

    /// <summary>Why verification failed, or <see cref="WebhookVerificationFailure.None"/>.</summary>
    public required WebhookVerificationFailure Failure { get; init; }

    /// <summary>A sentence for logs and problem documents; it never contains a secret or a signature.</summary>
    public required string Message { get; init; }

    /// <summary>The scheme that was checked, when the request named one.</summary>
    public WebhookSignatureScheme? Scheme { get; init; }

    /// <summary>The signed timestamp, when it could be parsed.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The <c>webhook-id</c> that was signed (Standard Webhooks scheme only).</summary>
    public string? WebhookId { get; init; }

    /// <summary>Throws <see cref="WebhookVerificationException"/> unless <see cref="IsValid"/>.</summary>
    /// <exception cref="WebhookVerificationException">The delivery did not verify.</exception>
    public void EnsureValid()
    {
        if (!IsValid)
        {
            throw new WebhookVerificationException(Failure, Message);
        }
    }

    internal static WebhookVerificationResult Fail(
        WebhookVerificationFailure failure, string message, WebhookSignatureScheme? scheme = null) =>
        new() { Failure = failure, Message = message, Scheme = scheme };
}
