using Webhooks.Functions.Storage;

using Webhooks.Functions.Hosting;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// Durable timers: a <c>deliveries</c> message hidden until the next attempt is due (at most 7 days; a longer wait
/// is re-armed when the message comes back early). Retries falling due within <see cref="Window"/> of each other
/// share a message, so a wave of failures does not become a wave of queue writes.
/// </summary>
internal sealed class DeliveryTimers : IAsyncDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxVisibility = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    private readonly StorageAccount _storage;
    private readonly QueueWakeups _wakeups;
    private readonly TimeProvider _time;
    private readonly CoalescingBatcher<(DeliveryRef Delivery, DateTimeOffset DueAt), bool> _batcher;

    public DeliveryTimers(StorageAccount storage, QueueWakeups wakeups, TimeProvider time)
    {
        _storage = storage;
        _wakeups = wakeups;
        _time = time;
        _batcher = new CoalescingBatcher<(DeliveryRef, DateTimeOffset), bool>(SendAsync, maxBatch: 500, concurrency: 4);
    }

    /// <summary>Completes once the timer is durably in the queue.</summary>
    public Task ScheduleAsync(DeliveryRef delivery, DateTimeOffset dueAt) => _batcher.AddAsync((delivery, dueAt));

    private async Task<bool> SendAsync(IReadOnlyList<(DeliveryRef Delivery, DateTimeOffset DueAt)> timers, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var sends = new List<Task>();
        var group = new List<DeliveryRef>();
        DateTimeOffset groupDue = default;
        foreach (var (delivery, dueAt) in timers.OrderBy(t => t.DueAt))
        {
            if (group.Count > 0 && (dueAt - groupDue > Window || group.Count == DeliveryMessage.MaxDeliveries))
            {
                sends.Add(SendOneAsync(group, groupDue, now, cancellationToken));
                group = [];
            }
            if (group.Count == 0)
            {
                groupDue = dueAt;
            }
            group.Add(delivery);
        }
        if (group.Count > 0)
        {
            sends.Add(SendOneAsync(group, groupDue, now, cancellationToken));
        }
        await Task.WhenAll(sends);
        return true;
    }

    private async Task SendOneAsync(List<DeliveryRef> deliveries, DateTimeOffset dueAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var wait = dueAt - now;
        var visibility = wait <= TimeSpan.Zero ? TimeSpan.Zero : wait > MaxVisibility ? MaxVisibility : wait;
        await _storage.DeliveriesQueue.SendMessageAsync(new DeliveryMessage(deliveries).ToJson(), visibility, cancellationToken: cancellationToken);
        _wakeups.Notify(StorageNames.DeliveriesQueue, now + visibility);
    }

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();
}
