using Azure.Data.Tables;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// A delivery of exactly one attempt, sent now and recorded afterwards (the test ping): its delivery row is written
/// once, already ended, with its attempt row, so it can never be retried behind the customer's back. The caller's own
/// rows (the ping's event) go in the same transaction.
/// </summary>
internal sealed class OneShotDelivery(StorageAccount storage, WebhookSender sender, TimeProvider time)
{
    /// <summary>Sends attempt 1 of <paramref name="delivery"/> and records it, with <paramref name="alongside"/>; returns the attempt row as written.</summary>
    public async Task<AttemptEntity> SendAndRecordAsync(
        DeliveryEntity delivery, SigningKeys keys, IEnumerable<TableTransactionAction> alongside, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var evt = delivery.Sends() ?? throw new ArgumentException("A one-shot delivery carries its event.", nameof(delivery));
        var result = await sender.SendAsync(delivery, evt, 1, keys, cancellationToken);
        var status = result.IsDelivered ? DeliveryStatus.Delivered : DeliveryStatus.Failed;
        delivery.Apply(1, result, status, nextAttemptAt: null, time.GetUtcNow());
        var attempt = AttemptEntity.For(delivery, 1, result);
        // It was sent: record it even if the caller has gone away meanwhile.
        await storage.Jobs.SubmitTransactionAsync(
        [
            .. alongside,
            new TableTransactionAction(TableTransactionActionType.Add, delivery),
            new TableTransactionAction(TableTransactionActionType.Add, attempt),
        ], CancellationToken.None);
        return attempt;
    }
}
