using Microsoft.Extensions.Options;
using Webhooks.Functions.Hosting;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Delivery;

/// <summary>The <c>deliveries</c> queue function: guards that came back and timers that fell due.</summary>
internal sealed class DeliveriesQueueHandler(DeliveryOrchestrator orchestrator, IOptions<DeliveryOptions> options) : IQueueHandler
{
    public string QueueName => StorageNames.DeliveriesQueue;

    /// <summary>Longer than an attempt can take, so a message being worked on is not handed to a second worker.</summary>
    public TimeSpan VisibilityTimeout => DeliveryGuards.GuardVisibility(options.Value.AttemptTimeout);

    public Task HandleAsync(QueueWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return orchestrator.HandleMessageAsync(DeliveryMessage.Parse(work.MessageText), cancellationToken);
    }
}
