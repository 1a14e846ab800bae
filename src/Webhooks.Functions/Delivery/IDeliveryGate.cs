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
