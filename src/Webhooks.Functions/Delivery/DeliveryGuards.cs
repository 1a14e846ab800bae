using Microsoft.Extensions.Options;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// Sends guard messages, one for all the deliveries started while the previous send was in flight
/// (up to <see cref="DeliveryMessage.MaxDeliveries"/>), so a burst of completions costs one queue write, not one each.
/// </summary>
internal sealed class DeliveryGuards : IAsyncDisposable
{
    private readonly StorageAccount _storage;
    private readonly TimeProvider _time;
    private readonly TimeSpan _visibility;
    private readonly TimeSpan _attemptTimeout;
    private readonly CoalescingBatcher<IReadOnlyList<DeliveryRef>, DeliveryGuard> _batcher;

    public DeliveryGuards(StorageAccount storage, IOptions<DeliveryOptions> options, TimeProvider time)
    {
        _storage = storage;
        _time = time;
        _attemptTimeout = options.Value.AttemptTimeout;
        _visibility = GuardVisibility(options.Value.AttemptTimeout);
        _batcher = new CoalescingBatcher<IReadOnlyList<DeliveryRef>, DeliveryGuard>(SendAsync, maxBatch: 50, concurrency: 4);
    }

    /// <summary>How long a guard stays hidden: room for an attempt to wait for a slot, run to its timeout and be recorded.</summary>
    public static TimeSpan GuardVisibility(TimeSpan attemptTimeout) => (attemptTimeout * 2) + TimeSpan.FromSeconds(30);

    public Task<DeliveryGuard> CoverAsync(IReadOnlyList<DeliveryRef> deliveries) => _batcher.AddAsync(deliveries);

    private async Task<DeliveryGuard> SendAsync(IReadOnlyList<IReadOnlyList<DeliveryRef>> groups, CancellationToken cancellationToken)
    {
        var refs = groups.SelectMany(g => g).ToList();
        var sentAt = _time.GetUtcNow();
        var receipt = await _storage.DeliveriesQueue.SendMessageAsync(
            new DeliveryMessage(refs).ToJson(), visibilityTimeout: _visibility, cancellationToken: cancellationToken);
        // An attempt must have started early enough to end (timeout) and be recorded before the guard reappears.
        var mustStartBy = sentAt + _visibility - _attemptTimeout - TimeSpan.FromSeconds(15);
        return new DeliveryGuard(_storage.DeliveriesQueue, receipt.Value.MessageId, receipt.Value.PopReceipt, refs.Count, mustStartBy);
    }

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();
}
