namespace Webhooks.Functions.Delivery;

/// <summary>
/// Starts <see cref="DeliverWebhookOrchestrator"/> instances on whichever Durable engine hosts them: the in-process
/// DurableTask.Core worker when standalone, the Functions host's Durable extension in Azure.
/// </summary>
internal interface IDeliveryOrchestrations
{
    /// <summary>
    /// Starts the orchestration of each delivery (instance id = delivery id) unless an instance with that id is already
    /// pending, running or completed: a completion that is replayed can call this again and nothing is sent twice. An
    /// instance that failed or was terminated ended without ending its delivery, so it is started afresh (the activity
    /// sends no attempt the delivery row has recorded). Returns once every instance is durably created.
    /// </summary>
    Task StartAsync(IReadOnlyList<DeliveryInput> deliveries, CancellationToken cancellationToken);

}
