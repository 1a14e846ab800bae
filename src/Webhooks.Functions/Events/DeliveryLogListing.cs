using System.Text.Json;
using Webhooks.Functions.Api;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Events;

/// <summary>
/// The pages of the delivery log that <c>GET /v1/events</c>, <c>GET /v1/deliveries</c> and the portal show: one query
/// each, so the API and the portal list exactly the same rows in the same order with the same cursors.
/// </summary>
internal sealed class DeliveryLogListing(DeliveryLog log)
{
    /// <summary>
    /// With a delivery filter most listing rows may not match; a page stops after this many rows and hands back a
    /// cursor, so one request never scans a team's whole history. Such a page can hold fewer than <c>limit</c> items.
    /// </summary>
    public const int MaxScannedPerPage = 1000;

    /// <summary>The team's events newest first, each with its deliveries; <paramref name="after"/> is a decoded cursor position.</summary>
    public async Task<ListPage<EventListItem>> ListEventsAsync(
        string teamId, string? type, string? resourceId, DateTimeOffset? since, DateTimeOffset? until, string? after, int limit,
        CancellationToken cancellationToken)
    {
        var rows = new List<IndexEntity>(limit + 1);
        await foreach (var row in log.ScanIndexAsync(teamId, IndexEntity.EventKind, after, since, until,
            row => (type is null || row.Type == type) && (resourceId is null || row.ResourceId == resourceId), pageSize: limit + 1, cancellationToken))
        {
            rows.Add(row);
            if (rows.Count > limit)
            {
                break;
            }
        }
        var page = rows.Take(limit).ToList();
        var deliveries = await Task.WhenAll(page.Select(r => log.ReadDeliveriesAsync(r.Target, cancellationToken)));
        var items = page.Select((row, i) => new EventListItem(
            row.EventId, row.Type, row.CreatedAt, row.ResourceId, deliveries[i].Select(DeliverySummary.From).ToList())).ToList();
        var next = rows.Count > limit ? Cursor.Encode(page[^1].RowKey) : null;
        return new ListPage<EventListItem>(items, next);
    }

    /// <summary>
    /// The team's deliveries newest first that match <paramref name="match"/> (null: every one), created in
    /// [<paramref name="since"/>, <paramref name="until"/>); <paramref name="after"/> is a decoded cursor position.
    /// </summary>
    public async Task<ListPage<DeliveryListItem>> ListDeliveriesAsync(
        string teamId, Func<DeliveryEntity, bool>? match, DateTimeOffset? since, DateTimeOffset? until, string? after, int limit,
        CancellationToken cancellationToken)
    {
        var matches = new List<(IndexEntity Row, DeliveryEntity Delivery)>(limit + 1);
        string? lastScanned = null;
        var scanned = 0;
        var exhausted = true;
        var chunkSize = match is null ? limit + 1 : ListQuery.MaxLimit;
        await foreach (var (row, delivery) in log.ScanDeliveriesAsync(teamId, after, since, until, chunkSize, cancellationToken))
        {
            scanned++;
            lastScanned = row.RowKey;
            if (delivery is not null && (match is null || match(delivery)))
            {
                matches.Add((row, delivery));
            }
            if (matches.Count > limit || scanned >= MaxScannedPerPage)
            {
                exhausted = false;
                break;
            }
        }

        var page = matches.Take(limit).ToList();
        string? next = null;
        if (matches.Count > limit)
        {
            next = Cursor.Encode(page[^1].Row.RowKey);
        }
        else if (!exhausted && lastScanned is not null)
        {
            next = Cursor.Encode(lastScanned);
        }
        return new ListPage<DeliveryListItem>(page.Select(m => DeliveryListItem.From(m.Delivery)).ToList(), next);
    }

    /// <summary>The team's event with every delivery and attempt; null when the team has no such event.</summary>
    public async Task<EventDetail?> ReadEventAsync(string teamId, string eventId, CancellationToken cancellationToken)
    {
        var evt = await log.FindEventAsync(teamId, eventId, cancellationToken);
        if (evt is null)
        {
            return null;
        }
        var deliveriesRead = log.ReadDeliveriesAsync(evt.PartitionKey, cancellationToken);
        var attemptsRead = log.ReadAttemptsAsync(evt.PartitionKey, cancellationToken);
        var deliveries = await deliveriesRead;
        var attempts = await attemptsRead;
        using var data = JsonDocument.Parse(evt.Data);
        return new EventDetail(evt.EventId, evt.Type, evt.CreatedAt, evt.ResourceId, data.RootElement.Clone(),
            deliveries.Select(d => DeliveryDetail.From(d, attempts[d.DeliveryId])).ToList());
    }
}
