namespace Webhooks.Bench.Receiver;

/// <summary>How one receiver port answers webhooks.</summary>
internal enum ReceiverMode
{
    /// <summary>200 at once.</summary>
    Ok,

    /// <summary>500 at once.</summary>
    Fail,

    /// <summary>500 to a first attempt (<c>X-Webhook-Attempt: 1/n</c>), 200 to any later attempt.</summary>
    FailFirst,

    /// <summary>No answer until the sender gives up (its attempt timeout) or 60 s pass.</summary>
    Hang,
}
