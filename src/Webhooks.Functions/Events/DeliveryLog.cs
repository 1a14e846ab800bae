using Azure.Data.Tables;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Events;

/// <summary>
/// Reads what the delivery log routes show: events, deliveries and attempts from their jobs-table partitions, and the
/// team's listing rows from the index in newest-first order. Every read is scoped to one team, so another team's
/// event is indistinguishable from one that does not exist.
/// </summary>
internal sealed class DeliveryLog(StorageAccount storage)
{
    /// <summary>
    /// The partitions an event can live in: a job's event shares the job id's suffix (<c>batch_x</c> or <c>crawl_x</c>
    /// → <c>event_x</c>), and an event of no job (a ping) is its own partition.
    /// </summary>
    public static IEnumerable<string> CandidatePartitions(string eventId)
    {
        var suffix = Ids.Suffix(eventId);
        return [Ids.WithSuffix(Ids.BatchPrefix, suffix), Ids.WithSuffix(Ids.CrawlPrefix, suffix), eventId];
    }

    /// <summary>The team's event with this id, or null when it does not exist or belongs to another team.</summary>
    public async Task<EventEntity?> FindEventAsync(string teamId, string eventId, CancellationToken cancellationToken)
    {
        if (!Ids.IsValid(eventId, Ids.EventPrefix))
        {
            return null;
        }
        var reads = CandidatePartitions(eventId).Select(p => ReadEventAsync(p, cancellationToken)).ToList();
        var found = await Task.WhenAll(reads);
        return found.FirstOrDefault(e => e is not null && e.EventId == eventId && e.TeamId == teamId);
    }

    public async Task<EventEntity?> ReadEventAsync(string partition, CancellationToken cancellationToken)
    {
        var row = await storage.Jobs.GetEntityIfExistsAsync<EventEntity>(partition, EventEntity.Row, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task<DeliveryEntity?> ReadDeliveryAsync(string partition, string deliveryId, CancellationToken cancellationToken)
    {
        var row = await storage.Jobs.GetEntityIfExistsAsync<DeliveryEntity>(
            partition, DeliveryEntity.RowKeyFor(deliveryId), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Every delivery of the event in <paramref name="partition"/>, oldest first (the first is the original one).</summary>
    public async Task<IReadOnlyList<DeliveryEntity>> ReadDeliveriesAsync(string partition, CancellationToken cancellationToken)
    {
        var deliveries = new List<DeliveryEntity>();
        await foreach (var delivery in storage.Jobs.QueryAsync<DeliveryEntity>(
            RowRange(partition, DeliveryEntity.RowPrefix), cancellationToken: cancellationToken))
        {
            deliveries.Add(delivery);
        }
        return deliveries.OrderBy(d => d.CreatedAt).ThenBy(d => d.DeliveryId, StringComparer.Ordinal).ToList();
    }

    /// <summary>Every attempt of every delivery in <paramref name="partition"/>, by delivery id.</summary>
    public async Task<ILookup<string, AttemptEntity>> ReadAttemptsAsync(string partition, CancellationToken cancellationToken)
    {
        var attempts = new List<AttemptEntity>();
        await foreach (var attempt in storage.Jobs.QueryAsync<AttemptEntity>(
            RowRange(partition, AttemptEntity.RowPrefix), cancellationToken: cancellationToken))
        {
            attempts.Add(attempt);
        }
        return attempts.OrderBy(a => a.AttemptNumber).ToLookup(a => a.DeliveryId, StringComparer.Ordinal);
    }

    /// <summary>
    /// The team's listing entries of one kind, newest first: after <paramref name="after"/> (a cursor position), created
    /// at or after <paramref name="since"/> and before <paramref name="until"/>, matching <paramref name="match"/>.
    /// </summary>
    public async IAsyncEnumerable<IndexEntity> ScanIndexAsync(
        string teamId, string kind, string? after, DateTimeOffset? since, DateTimeOffset? until, Func<IndexEntity, bool>? match, int pageSize,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = kind + "_";
        // Keys carry reversed ticks, so "created before until" is a lower bound and "created since" an upper one.
        // KeyRange.End sorts after every character of an id, so a bound + End passes every entry of that exact tick.
        var lower = prefix;
        if (after is not null && string.CompareOrdinal(after, lower) > 0)
        {
            lower = after;
        }
        if (until is { } end && string.CompareOrdinal(IndexEntity.RowKeyBound(kind, end) + KeyRange.End, lower) > 0)
        {
            lower = IndexEntity.RowKeyBound(kind, end) + KeyRange.End;
        }
        var upper = KeyRange.PrefixEnd(prefix);
        if (since is { } start && string.CompareOrdinal(IndexEntity.RowKeyBound(kind, start) + KeyRange.End, upper) < 0)
        {
            upper = IndexEntity.RowKeyBound(kind, start) + KeyRange.End;
        }
        var groupsFrom = IndexGroupEntity.LowestGroupKeyFor(kind, lower);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {teamId} and RowKey ge {groupsFrom} and RowKey lt {upper}");

        // Groups arrive in key order and every entry of a group sorts at or after the group's key, so an entry that
        // sorts before the group just read can come from no later group: it is final and may be handed out.
        var pending = new SortedDictionary<string, IndexEntity>(StringComparer.Ordinal);
        var handedOut = lower;
        await foreach (var group in storage.Index.QueryAsync<IndexGroupEntity>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken))
        {
            while (pending.Count > 0 && string.CompareOrdinal(pending.First().Key, group.RowKey) < 0)
            {
                var next = pending.First();
                pending.Remove(next.Key);
                handedOut = next.Key;
                yield return next.Value;
            }
            foreach (var entry in group.Unpack())
            {
                // An entry written twice may sit in two groups; once handed out it is not handed out again.
                if (string.CompareOrdinal(entry.RowKey, handedOut) > 0 && string.CompareOrdinal(entry.RowKey, upper) < 0 && (match?.Invoke(entry) ?? true))
                {
                    pending[entry.RowKey] = entry;
                }
            }
        }
        foreach (var entry in pending.Values)
        {
            yield return entry;
        }
    }

    /// <summary>
    /// The team's deliveries created in [<paramref name="since"/>, <paramref name="until"/>), newest first, each with its
    /// row read from its partition (null when the row is gone). Rows are read <paramref name="chunkSize"/> at a time in
    /// parallel, so a long scan costs one round trip per chunk rather than one per delivery.
    /// </summary>
    public async IAsyncEnumerable<(IndexEntity Row, DeliveryEntity? Delivery)> ScanDeliveriesAsync(
        string teamId, string? after, DateTimeOffset? since, DateTimeOffset? until, int chunkSize,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chunk = new List<IndexEntity>(chunkSize);
        await foreach (var row in ScanIndexAsync(teamId, IndexEntity.DeliveryKind, after, since, until, null, chunkSize, cancellationToken))
        {
            chunk.Add(row);
            if (chunk.Count == chunkSize)
            {
                foreach (var pair in await ReadChunkAsync(chunk, cancellationToken))
                {
                    yield return pair;
                }
                chunk.Clear();
            }
        }
        foreach (var pair in await ReadChunkAsync(chunk, cancellationToken))
        {
            yield return pair;
        }
    }

    private async Task<(IndexEntity Row, DeliveryEntity? Delivery)[]> ReadChunkAsync(List<IndexEntity> rows, CancellationToken cancellationToken)
    {
        var reads = rows.Select(async row => (row, await ReadDeliveryAsync(row.Target, row.DeliveryId ?? "", cancellationToken)));
        return await Task.WhenAll(reads);
    }

    private static string RowRange(string partition, string prefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {KeyRange.PrefixEnd(prefix)}");
}
