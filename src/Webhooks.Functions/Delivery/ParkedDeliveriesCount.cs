using Azure.Data.Tables;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// Counts the parked deliveries for the <c>webhooks.deliveries.parked</c> gauge (SPEC §14): a scan of the jobs table's
/// delivery rows, keys only, at most once per <see cref="Interval"/>, on the instance that runs the sweeper. A gauge
/// of every instance shows the same figure; it is as old as the last count.
/// </summary>
internal sealed class ParkedDeliveriesCount(StorageAccount storage, TimeProvider time) : ISweepTask
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    private static readonly string[] KeyColumns = ["PartitionKey"];

    private DateTimeOffset _nextAt = DateTimeOffset.MinValue;

    public string Name => "parked-count";

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextAt)
        {
            return;
        }
        _nextAt = now + Interval;
        long parked = 0;
        var filter = TableClient.CreateQueryFilter(
            $"RowKey ge {DeliveryEntity.RowPrefix} and RowKey lt {DeliveryEntity.RowPrefix[..^1] + "`"} and Status eq {DeliveryStatus.Parked}");
        await foreach (var _ in YieldingScan.ReadAsync(
            storage.Jobs.QueryAsync<TableEntity>(filter, select: KeyColumns, cancellationToken: cancellationToken), time, cancellationToken))
        {
            parked++;
        }
        DeliveryMetrics.ParkedCounted(parked);
    }
}
