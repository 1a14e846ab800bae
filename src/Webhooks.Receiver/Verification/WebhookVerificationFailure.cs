namespace Webhooks.Receiver;

/// <summary>Why a delivery failed verification.</summary>
public enum WebhookVerificationFailure
{
    /// <summary>The delivery verified.</summary>
    None = 0,

    /// <summary>A header the scheme needs is absent or empty.</summary>
    MissingHeader = 1,

    /// <summary>A header is present but cannot be parsed (for example a timestamp that is not unix seconds).</summary>
    MalformedHeader = 2,

    /// <summary>No signature in the request matches the body under any configured secret.</summary>
    InvalidSignature = 3,

    /// <summary>The signed timestamp is older than the tolerance allows (a possible replay).</summary>
    TimestampTooOld = 4,

    /// <summary>The signed timestamp is further in the future than the tolerance allows.</summary>
    TimestampTooNew = 5,
}
