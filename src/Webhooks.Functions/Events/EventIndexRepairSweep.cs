using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Events;

/// <summary>
/// Writes listing rows that are missing for events and deliveries created in the last <c>EventIndex:RepairLookback</c>.
/// <para>
/// The guarantee: listing rows are written after the event and delivery rows commit, so a crash or a storage error in
/// between can leave a row without its listing row. A replayed job completion writes them again beside its starts;
/// this sweep covers everything else (a redelivery, a recovery, a ping, an event whose job message was already
/// deleted when the listing write failed). Every event and delivery therefore appears in
/// <c>GET /v1/events</c>, <c>GET /v1/deliveries</c> and <c>POST /v1/deliveries/recover</c> at most
/// <c>EventIndex:RepairMinAge</c> plus one <c>EventIndex:RepairInterval</c> (plus a sweeper tick) after it was written,
/// as long as the sweeper runs within the lookback. Nothing is lost in between: the rows themselves are the record, the
/// index only finds them.
/// </para>
/// <para>
/// Rows younger than <c>EventIndex:RepairMinAge</c> are left alone: their listing rows are still being written by the
/// process that wrote them, and "repairing" them would only add a point read and a listing write beside every new
/// delivery.
/// </para>
/// </summary>
internal sealed partial class EventIndexRepairSweep(
    StorageAccount storage, DeliveryLog log, EventIndex index, IOptions<EventIndexOptions> options, TimeProvider time,
    ILogger<EventIndexRepairSweep> logger) : ISweepTask
{
    /// <summary>
    /// A row committed just after a scan can carry a CreatedAt from before it (set when raised, committed a moment
    /// later): each scan reaches this long (or the min age, if longer) before the previous one started.
    /// </summary>
    private static readonly TimeSpan CommitLag = TimeSpan.FromMinutes(10);

    // Only what a listing row needs: an event's Data can be large, and a scan reads every row of its window.
    private static readonly string[] EventColumns = ["PartitionKey", "RowKey", "EventId", "Type", "TeamId", "ResourceId", "CreatedAt"];
    private static readonly string[] DeliveryColumns = ["PartitionKey", "RowKey", "DeliveryId", "TeamId", "CreatedAt"];

    private long _lastRunTicks;
    private long _lastScanStartedTicks;

    public string Name => "event-index-repair";

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var last = Interlocked.Read(ref _lastRunTicks);
        if (last != 0 && now.UtcTicks - last < options.Value.RepairInterval.Ticks)
        {
            return;
        }
        Interlocked.Exchange(ref _lastRunTicks, now.UtcTicks);
        // The first scan of a process covers the whole lookback; later ones only what is new since the previous scan
        // that finished (less the commit lag), so a busy day's rows are not read again every interval.
        var minAge = options.Value.RepairMinAge;
        var until = now - minAge;
        var since = now - options.Value.RepairLookback;
        var previous = Interlocked.Read(ref _lastScanStartedTicks);
        var overlap = minAge > CommitLag ? minAge : CommitLag;
        if (previous != 0 && new DateTimeOffset(previous, TimeSpan.Zero) - overlap > since)
        {
            since = new DateTimeOffset(previous, TimeSpan.Zero) - overlap;
        }

        var events = new Dictionary<string, EventEntity>(StringComparer.Ordinal);
        await foreach (var evt in YieldingScan.ReadAsync(storage.Jobs.QueryAsync<EventEntity>(
            TableClient.CreateQueryFilter($"RowKey eq {EventEntity.Row} and CreatedAt ge {since} and CreatedAt lt {until}"),
            select: EventColumns, cancellationToken: cancellationToken), time, cancellationToken))
        {
            events[evt.PartitionKey] = evt;
        }
        var deliveries = new List<DeliveryEntity>();
        await foreach (var delivery in YieldingScan.ReadAsync(storage.Jobs.QueryAsync<DeliveryEntity>(
            TableClient.CreateQueryFilter(
                $"RowKey ge {DeliveryEntity.RowPrefix} and RowKey lt {KeyRange.PrefixEnd(DeliveryEntity.RowPrefix)} and CreatedAt ge {since} and CreatedAt lt {until}"),
            select: DeliveryColumns, cancellationToken: cancellationToken), time, cancellationToken))
        {
            deliveries.Add(delivery);
        }

        var repaired = 0;
        var teams = events.Values.Select(e => e.TeamId).Concat(deliveries.Select(d => d.TeamId)).Distinct(StringComparer.Ordinal);
        foreach (var teamId in teams)
        {
            var listed = await ListedRowKeysAsync(teamId, since, until, cancellationToken);
            var missingEvents = events.Values
                .Where(e => e.TeamId == teamId && !listed.Contains(EventIndex.ForEvent(e).RowKey))
                .Select(e => e.PartitionKey)
                .ToHashSet(StringComparer.Ordinal);
            var missingDeliveries = deliveries
                .Where(d => d.TeamId == teamId && !listed.Contains(IndexEntity.RowKeyFor(IndexEntity.DeliveryKind, d.CreatedAt, d.DeliveryId)))
                .ToLookup(d => d.PartitionKey, StringComparer.Ordinal);
            foreach (var partition in missingEvents.Concat(missingDeliveries.Select(g => g.Key)).Distinct(StringComparer.Ordinal))
            {
                var evt = events.GetValueOrDefault(partition) ?? await log.ReadEventAsync(partition, cancellationToken);
                if (evt is null)
                {
                    continue;
                }
                // Rewriting the event's own row too is harmless: listing rows are idempotent upserts.
                await index.WriteAsync(evt, missingDeliveries[partition]);
                repaired += (missingEvents.Contains(partition) ? 1 : 0) + missingDeliveries[partition].Count();
            }
        }
        Interlocked.Exchange(ref _lastScanStartedTicks, now.UtcTicks);
        if (repaired > 0)
        {
            LogRepaired(logger, repaired);
        }
    }

    private async Task<HashSet<string>> ListedRowKeysAsync(string teamId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var kind in new[] { IndexEntity.EventKind, IndexEntity.DeliveryKind })
        {
            await foreach (var row in log.ScanIndexAsync(teamId, kind, after: null, since, until, match: null, pageSize: 1000, cancellationToken))
            {
                listed.Add(row.RowKey);
            }
        }
        return listed;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wrote {Count} missing listing rows of events and deliveries")]
    private static partial void LogRepaired(ILogger logger, int count);
}
