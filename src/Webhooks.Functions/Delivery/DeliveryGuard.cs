using Azure.Storage.Queues;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// A guard message covering deliveries whose first attempt runs in memory. Each covered delivery is either
/// released (its outcome is recorded) or abandoned (left to the guard); when all are released the message is deleted
/// with the pop receipt its send returned, otherwise it reappears and the <c>deliveries</c> function resumes them.
/// </summary>
internal sealed class DeliveryGuard(QueueClient queue, string messageId, string popReceipt, int covered, DateTimeOffset mustStartBy)
{
    private int _outstanding = covered;
    private int _abandoned;

    /// <summary>An attempt not started by then is left to the guard, so it can never run twice at once.</summary>
    public DateTimeOffset MustStartBy { get; } = mustStartBy;

    /// <summary>Takes one delivery off the guard: its outcome is recorded, or its row was never committed.</summary>
    public async Task ReleaseAsync()
    {
        if (Interlocked.Decrement(ref _outstanding) == 0 && Volatile.Read(ref _abandoned) == 0)
        {
            await queue.DeleteMessageAsync(messageId, popReceipt);
        }
    }

    public void Abandon()
    {
        Interlocked.Exchange(ref _abandoned, 1);
        Interlocked.Decrement(ref _outstanding);
    }
}
