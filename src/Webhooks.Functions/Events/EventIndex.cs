using Azure.Data.Tables;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Events;

/// <summary>
/// Writes the listing rows (team → events, team → deliveries by time). Upserts, so writing twice is harmless;
/// rows of many events of one team share one transaction.
/// </summary>
internal sealed class EventIndex : IAsyncDisposable
{
    private const int MaxTransaction = 100;
    private readonly StorageAccount _storage;
    private readonly CoalescingBatcher<IndexEntity, bool> _batcher;

    public EventIndex(StorageAccount storage)
    {
        _storage = storage;
        _batcher = new CoalescingBatcher<IndexEntity, bool>(WriteAsync, maxBatch: 400, concurrency: 2);
    }

    public Task WriteAsync(EventEntity evt, IEnumerable<DeliveryEntity> deliveries)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var rows = new List<IndexEntity> { ForEvent(evt) };
        rows.AddRange(deliveries.Select(d => ForDelivery(evt, d)));
        return Task.WhenAll(rows.Select(_batcher.AddAsync));
    }

    public Task WriteDeliveryAsync(EventEntity evt, DeliveryEntity delivery) => _batcher.AddAsync(ForDelivery(evt, delivery));

    public static IndexEntity ForEvent(EventEntity evt) => new()
    {
        PartitionKey = evt.TeamId,
        RowKey = IndexEntity.RowKeyFor(IndexEntity.EventKind, evt.CreatedAt, evt.EventId),
        EventId = evt.EventId,
        Type = evt.Type,
        ResourceId = evt.ResourceId,
        Target = evt.PartitionKey,
        CreatedAt = evt.CreatedAt,
    };

    public static IndexEntity ForDelivery(EventEntity evt, DeliveryEntity delivery) => new()
    {
        PartitionKey = delivery.TeamId,
        RowKey = IndexEntity.RowKeyFor(IndexEntity.DeliveryKind, delivery.CreatedAt, delivery.DeliveryId),
        EventId = evt.EventId,
        DeliveryId = delivery.DeliveryId,
        Type = evt.Type,
        ResourceId = evt.ResourceId,
        Target = delivery.PartitionKey,
        CreatedAt = delivery.CreatedAt,
    };

    private async Task<bool> WriteAsync(IReadOnlyList<IndexEntity> rows, CancellationToken cancellationToken)
    {
        var writes = rows
            .GroupBy(r => r.PartitionKey)
            .SelectMany(team => team.DistinctBy(r => r.RowKey).Chunk(MaxTransaction))
            .Select(chunk => _storage.Index.SubmitTransactionAsync(
                chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken));
        await Task.WhenAll(writes);
        return true;
    }

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();
}
