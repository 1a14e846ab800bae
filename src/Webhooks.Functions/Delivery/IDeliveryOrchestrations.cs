namespace Webhooks.Functions.Delivery;

/// <summary>
/// Starts <see cref="DeliverWebhookOrchestrator"/> instances on whichever Durable engine hosts them: the in-process
/// DurableTask.Core worker when standalone, the Functions host's Durable extension in Azure.
/// </summary>
internal interface IDeliveryOrchestrations
{
    /// <summary>
    /// Starts the orchestration of each delivery (instance id = delivery id) unless an instance with that id already
    /// exists, running or finished: a completion that is replayed can call this again and nothing is sent twice.
    /// Returns once every start is durably queued.
    /// </summary>
    Task StartAsync(IReadOnlyList<DeliveryInput> deliveries, CancellationToken cancellationToken);

}
