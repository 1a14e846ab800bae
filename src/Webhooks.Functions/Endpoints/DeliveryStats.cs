using Azure.Data.Tables;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// Reads the delivery stats of SPEC §14 from the hourly rows <see cref="EndpointHealth"/> writes: one range query of
/// the team's partition per read, whatever the number of attempts counted, and never a scan of attempt rows.
/// </summary>
internal sealed class DeliveryStats(StorageAccount storage, EndpointHealth health)
{
    /// <summary>At most this many days in one read (SPEC §14), so at most 744 hourly buckets.</summary>
    public const int MaxDays = 31;

    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(MaxDays);

    /// <summary>
    /// One bucket per <paramref name="bucket"/> from <paramref name="from"/> (a bucket start) to <paramref name="to"/>
    /// (exclusive), oldest first, for the team (<paramref name="endpointId"/> null) or one of its endpoints.
    /// </summary>
    public async Task<IReadOnlyList<DeliveryStatsBucket>> ReadAsync(
        string teamId, string? endpointId, DateTimeOffset from, DateTimeOffset to, string bucket, CancellationToken cancellationToken)
    {
        // This instance's counts first, so that what it counted a moment ago is in the answer it gives.
        await health.FlushStatsAsync(teamId, cancellationToken);
        var length = StatsBucketSize.Length(bucket);
        var buckets = new List<DeliveryStatsBucket>();
        for (var start = from; start < to; start += length)
        {
            buckets.Add(new DeliveryStatsBucket(start, new DeliveryStatsCounts()));
        }
        var scope = endpointId ?? DeliveryStatsCounts.TeamScope;
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {teamId} and RowKey ge {DeliveryStatsCounts.RowKey(scope, from)} and RowKey lt {DeliveryStatsCounts.RowKey(scope, to)}");
        await foreach (var row in storage.Stats.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var index = (int)((DeliveryStatsCounts.HourOf(row) - from).Ticks / length.Ticks);
            if (index >= 0 && index < buckets.Count)
            {
                buckets[index].Counts.AddRow(row);
            }
        }
        return buckets;
    }
}
