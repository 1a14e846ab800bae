using Azure.Data.Tables;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Events;

/// <summary>
/// Writes the listing entries (team → events, team → deliveries by time), packed into <see cref="IndexGroupEntity"/>
/// rows: entries written at the same moment share a row, and the rows of one team share a transaction. Upserts, so
/// writing twice is harmless.
/// </summary>
internal sealed class EventIndex : IAsyncDisposable
{
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
        // One group: the event's entries share a row and a transaction however busy the flush loops are.
        var rows = new List<IndexEntity> { ForEvent(evt) };
        rows.AddRange(deliveries.Select(d => ForDelivery(evt, d)));
        return _batcher.AddAllAsync(rows);
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

    private async Task<bool> WriteAsync(IReadOnlyList<IndexEntity> entries, CancellationToken cancellationToken)
    {
        var writes = entries
            .GroupBy(e => e.PartitionKey, StringComparer.Ordinal)
            .SelectMany(team => IndexGroupEntity.Pack(team.Key, team).DistinctBy(g => g.RowKey).Chunk(TableTransactions.MaxActions))
            .Select(chunk => _storage.Index.SubmitTransactionAsync(
                chunk.Select(g => new TableTransactionAction(TableTransactionActionType.UpsertReplace, g)), cancellationToken));
        await Task.WhenAll(writes);
        return true;
    }

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();
}
