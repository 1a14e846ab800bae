using Microsoft.DurableTask;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// Run by <see cref="DeliverWebhookOrchestrator"/> once its delivery has ended failed: hands the delivery as recorded to
/// <see cref="IDeliveryEndings"/> (SPEC §9, <c>event.delivery.exhausted</c>). An activity of the orchestration rather
/// than a step of the last attempt, so that a crash between the attempt's record and the event cannot lose the event:
/// the engine runs this activity until it has completed.
/// </summary>
internal sealed class DeliveryExhaustedActivity(StorageAccount storage, IDeliveryEndings endings) : TaskActivity<AttemptRequest, bool>
{
    public const string Name = "DeliveryExhausted";

    public override Task<bool> RunAsync(TaskActivityContext context, AttemptRequest input) => RunAsync(input, CancellationToken.None);

    public async Task<bool> RunAsync(AttemptRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var row = await storage.Jobs.GetEntityIfExistsAsync<DeliveryEntity>(
            input.Partition, DeliveryEntity.RowKeyFor(input.DeliveryId), cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value is not { Status: DeliveryStatus.Failed } delivery)
        {
            return false;
        }
        await endings.DeliveryFailedAsync(delivery, cancellationToken);
        return true;
    }
}
