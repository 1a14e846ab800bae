using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Events;
using Webhooks.Functions.Jobs;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Retention;

/// <summary>
/// Erases one partition of the jobs table and everything that hangs off it: a job (its row, item and page rows, its
/// event, deliveries, attempts and recovery marks) or a test ping's event; the page bodies under the job's blob prefix;
/// its entries in the team's listing index; and the Durable state of its deliveries' orchestrations.
/// <para>
/// The order makes a crash at any point harmless: orchestrations first (a running one could otherwise write an attempt
/// after its rows were deleted), then listing entries and bodies, then the rows — the job and event rows last, because
/// they are what the next pass finds the partition by.
/// </para>
/// </summary>
internal sealed class JobPartitionEraser(StorageAccount storage, IDeliveryOrchestrations orchestrations, TimeProvider time)
{
    /// <summary>
    /// A team erasure waits this long after a pending delivery with no attempt yet was created before erasing it: its
    /// orchestration's start message may still be on its way (a delivery with an attempt made has its instance), and an
    /// instance that starts after its rows are gone would be left behind.
    /// </summary>
    public static readonly TimeSpan StartGrace = TimeSpan.FromMinutes(1);

    private const string ErasedError = "Its team was deleted.";
    private static readonly string[] Columns = ["PartitionKey", "RowKey", "Status", "DeliveryId", "EventId", "TeamId", "CreatedAt", "AttemptsMade"];

    /// <summary>
    /// Retention: erases the partition unless it holds a pending or parked delivery, a job still being worked, or a row
    /// created at or after <paramref name="cutoff"/> (a recent redelivery of an old event).
    /// </summary>
    public async Task<PartitionOutcome> EraseIfExpiredAsync(string partition, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var rows = await ReadAsync(partition, cancellationToken);
        if (rows.Any(r => Keeps(r, cutoff)))
        {
            return PartitionOutcome.Kept;
        }
        return await EraseAsync(partition, rows, terminateRunning: false, cancellationToken);
    }

    /// <summary>Team erasure: erases the partition whatever its state, terminating its running orchestrations first.</summary>
    public async Task<PartitionOutcome> EraseAsync(string partition, CancellationToken cancellationToken)
    {
        var rows = await ReadAsync(partition, cancellationToken);
        var startedBefore = time.GetUtcNow() - StartGrace;
        if (rows.Any(r => IsDelivery(r) && r.GetString("Status") == DeliveryStatus.Pending && r.GetInt32("AttemptsMade") is null or 0
            && r.GetDateTimeOffset("CreatedAt") > startedBefore))
        {
            return PartitionOutcome.NotYet;
        }
        await EndOpenDeliveriesAsync(rows, cancellationToken);
        return await EraseAsync(partition, rows, terminateRunning: true, cancellationToken);
    }

    /// <summary>
    /// Ends the partition's pending and parked deliveries before their orchestrations are terminated: otherwise the
    /// stalled-delivery sweep would start a terminated one afresh, and the two sweeps could undo each other every tick.
    /// </summary>
    private async Task EndOpenDeliveriesAsync(List<TableEntity> rows, CancellationToken cancellationToken)
    {
        var open = rows.Where(r => IsDelivery(r) && r.GetString("Status") is DeliveryStatus.Pending or DeliveryStatus.Parked).ToList();
        foreach (var chunk in open.Chunk(TableTransactions.MaxActions))
        {
            await storage.Jobs.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpdateMerge,
                new TableEntity(r.PartitionKey, r.RowKey) { ["Status"] = DeliveryStatus.Failed, ["LastError"] = ErasedError }, ETag.All)), cancellationToken);
            foreach (var row in chunk)
            {
                row["Status"] = DeliveryStatus.Failed;
            }
        }
    }

    private static bool Keeps(TableEntity row, DateTimeOffset cutoff)
    {
        if (row.GetDateTimeOffset("CreatedAt") is { } created && created >= cutoff)
        {
            return true;
        }
        var status = row.GetString("Status");
        return row.RowKey == JobRows.Job
            ? status is not null && !JobStatus.IsFinal(status)
            : IsDelivery(row) && status is DeliveryStatus.Pending or DeliveryStatus.Parked;
    }

    private async Task<PartitionOutcome> EraseAsync(string partition, List<TableEntity> rows, bool terminateRunning, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            await DeleteBodiesAsync(partition, cancellationToken);
            return PartitionOutcome.Erased;
        }
        var deliveryIds = rows.Where(IsDelivery).Select(r => r.GetString("DeliveryId")).OfType<string>().ToList();
        if (!await orchestrations.PurgeAsync(deliveryIds, terminateRunning, cancellationToken))
        {
            return PartitionOutcome.NotYet;
        }
        await RemoveListingEntriesAsync(partition, rows, cancellationToken);
        await DeleteBodiesAsync(partition, cancellationToken);
        await DeleteRowsAsync(rows, cancellationToken);
        return PartitionOutcome.Erased;
    }

    private async Task<List<TableEntity>> ReadAsync(string partition, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in storage.Jobs.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), maxPerPage: 1000, select: Columns, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }
        return rows;
    }

    private static bool IsDelivery(TableEntity row) => row.RowKey.StartsWith(DeliveryEntity.RowPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Takes the partition's event and deliveries out of the team's packed listing rows. A packed row may also hold
    /// entries of other partitions written at the same moment: it is replaced by a row of those (one transaction in the
    /// team's partition, so a listing entry of another event is never lost in between).
    /// </summary>
    private async Task RemoveListingEntriesAsync(string partition, List<TableEntity> rows, CancellationToken cancellationToken)
    {
        var entries = rows
            .Select(r => r.RowKey == EventEntity.Row ? (Kind: IndexEntity.EventKind, Id: r.GetString("EventId"), Row: r)
                : IsDelivery(r) ? (Kind: IndexEntity.DeliveryKind, Id: r.GetString("DeliveryId"), Row: r)
                : (Kind: "", Id: null, Row: r))
            .Where(e => e.Id is not null && e.Row.GetDateTimeOffset("CreatedAt") is not null && e.Row.GetString("TeamId") is not null)
            .Select(e => (Team: e.Row.GetString("TeamId"), e.Kind, Key: IndexEntity.RowKeyFor(e.Kind, e.Row.GetDateTimeOffset("CreatedAt")!.Value, e.Id!)));
        foreach (var team in entries.GroupBy(e => e.Team, StringComparer.Ordinal))
        {
            var actions = new Dictionary<string, TableTransactionAction>(StringComparer.Ordinal);
            foreach (var kind in team.GroupBy(e => e.Kind, StringComparer.Ordinal))
            {
                var keys = kind.Select(e => e.Key).Order(StringComparer.Ordinal).ToList();
                // A packed row's key is its newest entry's key; its other entries are at most MaxSpread older.
                var low = IndexGroupEntity.LowestGroupKeyFor(kind.Key, keys[0]);
                var high = keys[^1] + KeyRange.End;
                await foreach (var group in storage.Index.QueryAsync<IndexGroupEntity>(
                    TableClient.CreateQueryFilter($"PartitionKey eq {team.Key} and RowKey ge {low} and RowKey lt {high}"),
                    cancellationToken: cancellationToken))
                {
                    var all = group.Unpack().ToList();
                    if (all.TrueForAll(e => e.Target != partition))
                    {
                        continue;
                    }
                    actions.TryAdd(group.RowKey, new TableTransactionAction(TableTransactionActionType.Delete, group, group.ETag));
                    foreach (var rest in IndexGroupEntity.Pack(team.Key, all.Where(e => e.Target != partition)))
                    {
                        actions[rest.RowKey] = new TableTransactionAction(TableTransactionActionType.UpsertReplace, rest);
                    }
                }
            }
            foreach (var chunk in actions.Values.Chunk(TableTransactions.MaxActions))
            {
                await storage.Index.SubmitTransactionAsync(chunk, cancellationToken);
            }
        }
    }

    private async Task DeleteBodiesAsync(string partition, CancellationToken cancellationToken)
    {
        await foreach (var blob in storage.Pages.GetBlobsAsync(BlobTraits.None, BlobStates.None, partition + "/", cancellationToken))
        {
            await storage.Pages.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
        }
    }

    /// <summary>The job and event rows go last, in their own transaction: until then the next pass can find the partition.</summary>
    private async Task DeleteRowsAsync(List<TableEntity> rows, CancellationToken cancellationToken)
    {
        static bool IsRoot(TableEntity r) => r.RowKey is JobRows.Job or EventEntity.Row;
        foreach (var chunk in rows.Where(r => !IsRoot(r)).Chunk(TableTransactions.MaxActions).Append([.. rows.Where(IsRoot)]).Where(c => c.Length > 0))
        {
            await storage.Jobs.SubmitTransactionAsync(
                chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken);
        }
    }
}
