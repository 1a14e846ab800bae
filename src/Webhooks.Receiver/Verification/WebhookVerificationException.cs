namespace Webhooks.Receiver;

/// <summary>Thrown by <see cref="WebhookVerificationResult.EnsureValid"/> when a delivery does not verify.</summary>
public sealed class WebhookVerificationException : Exception
{
    /// <summary>Creates an exception for a verification failure.</summary>
    /// <param name="failure">Why verification failed.</param>
    /// <param name="message">A sentence describing the failure.</param>
    public WebhookVerificationException(WebhookVerificationFailure failure, string message)
        : base(message)
    {
        Failure = failure;
    }

    /// <summary>Creates an exception for an unspecified failure.</summary>
    public WebhookVerificationException()
        : this(WebhookVerificationFailure.InvalidSignature, "The webhook did not verify.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">A sentence describing the failure.</param>
    public WebhookVerificationException(string message)
        : this(WebhookVerificationFailure.InvalidSignature, message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    /// <param name="message">A sentence describing the failure.</param>
    /// <param name="innerException">The cause.</param>
    public WebhookVerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Failure = WebhookVerificationFailure.InvalidSignature;
    }

    /// <summary>Why verification failed.</summary>
    public WebhookVerificationFailure Failure { get; }
}
