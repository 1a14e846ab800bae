namespace Webhooks.Functions.Delivery;

/// <summary>
/// Starts <see cref="DeliverWebhookOrchestrator"/> instances on whichever Durable engine hosts them: the in-process
/// DurableTask.Core worker when standalone, the Functions host's Durable extension in Azure.
/// </summary>
internal interface IDeliveryOrchestrations
{
    /// <summary>What <see cref="PurgeAsync"/> gives as the reason when it terminates a running orchestration.</summary>
    const string TerminationReason = "Its delivery is being erased.";

    /// <summary>
    /// Starts the orchestration of each delivery (instance id = delivery id) unless an instance with that id already
    /// exists, running or finished: a completion that is replayed can call this again and nothing is sent twice.
    /// Returns once every start is durably queued.
    /// </summary>
    Task StartDeliveriesAsync(IReadOnlyList<DeliveryInput> deliveries, CancellationToken cancellationToken);

    /// <summary>
    /// For deliveries whose row is pending but which may have no running orchestration (<see cref="StalledDeliverySweep"/>,
    /// a resumed parked delivery): starts those with no instance, and starts afresh those whose instance has ended
    /// (failed, terminated, or completed when the delivery was parked) — it ended without ending its delivery; the fresh
    /// run sends no attempt the delivery row has recorded. Pending and running instances are left alone.
    /// </summary>
    Task StartOrRestartEndedAsync(IReadOnlyList<DeliveryInput> deliveries, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the Durable state (instance row and history) of each delivery's orchestration that has ended
    /// (completed, failed or terminated), for retention and team erasure. One still running is left alone, or, with
    /// <paramref name="terminateRunning"/>, terminated so that a later call can remove it. Returns true when none of
    /// them has an instance any more.
    /// </summary>
    Task<bool> PurgeAsync(IReadOnlyList<string> deliveryIds, bool terminateRunning, CancellationToken cancellationToken);
}
