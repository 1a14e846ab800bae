namespace Webhooks.Functions.Delivery;

/// <summary>The verdict of <see cref="IDeliveryGate.BeforeAttemptAsync"/>.</summary>
internal enum GateVerdict
{
    /// <summary>Send the attempt.</summary>
    Send,

    /// <summary>The destination is over its rate: not an attempt; ask again at <see cref="GateDecision.WaitUntil"/>.</summary>
    Wait,

    /// <summary>The destination is disabled: the delivery is parked, with no attempt, until it is enabled with recover.</summary>
    Park,

    /// <summary>The destination is gone for good: the delivery ends failed with <see cref="GateDecision.Reason"/>.</summary>
    Fail,
}
