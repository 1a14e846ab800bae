using Azure;
using Azure.Data.Tables;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// Changes made to deliveries from outside their orchestration (SPEC §8, §9): ending those of a deleted endpoint, and
/// resuming parked ones. Each change is conditional on the row's ETag and re-read on a conflict, so it never overwrites
/// an attempt recorded meanwhile.
/// </summary>
internal sealed class DeliveryOverrides(StorageAccount storage, IDeliveryOrchestrations orchestrations, TimeProvider time)
{
    /// <summary>Ends a pending or parked delivery as failed with <paramref name="reason"/>; false if it had ended already.</summary>
    public Task<bool> EndAsync(DeliveryEntity delivery, string reason, CancellationToken cancellationToken) =>
        ChangeAsync(delivery, d => d.Status is DeliveryStatus.Pending or DeliveryStatus.Parked, d =>
        {
            d.Status = DeliveryStatus.Failed;
            d.LastError = reason;
            d.NextAttemptAt = null;
        }, cancellationToken);

    /// <summary>
    /// Makes parked deliveries pending, their next attempt due now, and starts their orchestrations: afresh where one
    /// ended when it parked (the new run sends no attempt the row has recorded). Returns how many were resumed.
    /// </summary>
    public async Task<int> ResumeParkedAsync(IEnumerable<DeliveryEntity> deliveries, CancellationToken cancellationToken)
    {
        var resumed = new List<DeliveryInput>();
        foreach (var delivery in deliveries)
        {
            if (await ChangeAsync(delivery, d => d.Status == DeliveryStatus.Parked, d =>
            {
                d.Status = DeliveryStatus.Pending;
                d.NextAttemptAt = time.GetUtcNow();
            }, cancellationToken))
            {
                resumed.Add(DeliveryInput.For(delivery));
            }
        }
        // A crash before this start leaves pending rows whose orchestration ended: the stalled-delivery sweep starts them.
        await orchestrations.StartOrRestartEndedAsync(resumed, cancellationToken);
        return resumed.Count;
    }

    private async Task<bool> ChangeAsync(DeliveryEntity delivery, Func<DeliveryEntity, bool> applies, Action<DeliveryEntity> change, CancellationToken cancellationToken)
    {
        var current = delivery;
        while (applies(current))
        {
            change(current);
            try
            {
                await storage.Jobs.UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.IsUpdateConditionNotSatisfied())
            {
                // An attempt was recorded meanwhile: decide again on the row as it is now.
                var row = await storage.Jobs.GetEntityIfExistsAsync<DeliveryEntity>(delivery.PartitionKey, delivery.RowKey, cancellationToken: cancellationToken);
                if (!row.HasValue || row.Value is null)
                {
                    // Erased meanwhile (its team was deleted): nothing left to change.
                    return false;
                }
                current = row.Value;
            }
            catch (RequestFailedException e) when (e.IsNotFound())
            {
                return false;
            }
        }
        return false;
    }
}
