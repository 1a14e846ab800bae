namespace Webhooks.Functions.Delivery;

/// <summary>
/// What the delivery's destination says before an attempt (SPEC §8, §9), asked by <see cref="DeliveryAttemptActivity"/>
/// and answered by the Endpoints feature: Delivery knows nothing of endpoints, only these verdicts.
/// </summary>
internal interface IDeliveryGate
{
    /// <summary>Whether the next attempt of <paramref name="delivery"/> may be sent now.</summary>
    Task<GateDecision> BeforeAttemptAsync(DeliveryEntity delivery, CancellationToken cancellationToken);

    /// <summary>Told of every attempt made and recorded (the delivery row as recorded with it), for the destination's health counts and the team's delivery stats.</summary>
    Task AttemptRecordedAsync(DeliveryEntity delivery, AttemptResult result, CancellationToken cancellationToken);
}

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

/// <param name="Url">With <see cref="GateVerdict.Send"/>: where to send when the destination has moved (its URL was changed since the delivery was made).</param>
internal sealed record GateDecision(GateVerdict Verdict, DateTimeOffset? WaitUntil = null, string? Reason = null, string? Url = null)
{
    /// <summary>The <c>LastError</c> of a delivery ended because its endpoint was deleted (SPEC §8).</summary>
    public const string EndpointDeletedReason = "endpoint deleted";

    public static readonly GateDecision Send = new(GateVerdict.Send);

    public static readonly GateDecision Park = new(GateVerdict.Park);

    public static GateDecision SendTo(string url) => new(GateVerdict.Send, Url: url);

    public static GateDecision WaitFor(DateTimeOffset until) => new(GateVerdict.Wait, until);

    public static GateDecision Fail(string reason) => new(GateVerdict.Fail, Reason: reason);
}

/// <summary>
/// Told when a delivery has ended failed (SPEC §9: <c>event.delivery.exhausted</c>), by
/// <see cref="DeliveryExhaustedActivity"/>; implemented by Events, which raises the operational event.
/// </summary>
internal interface IDeliveryEndings
{
    /// <summary>Raises what a failed delivery raises; idempotent, so a re-run of the activity raises nothing twice.</summary>
    Task DeliveryFailedAsync(DeliveryEntity delivery, CancellationToken cancellationToken);
}
