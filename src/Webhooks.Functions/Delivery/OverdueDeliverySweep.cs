using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Hosting;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// Re-arms deliveries whose timer was lost: still <c>pending</c>, next attempt well in the past (longer than any
/// guard stays hidden), and not leased by a runner. A duplicate timer is harmless; a missing one would lose a delivery.
/// </summary>
internal sealed partial class OverdueDeliverySweep(
    StorageAccount storage, DeliveryTimers timers, IOptions<DeliveryOptions> options, TimeProvider time, ILogger<OverdueDeliverySweep> logger)
    : ISweepTask
{
    public string Name => "overdue-deliveries";

    /// <summary>Longer than a guard stays hidden, so a delivery whose guard is still coming is never re-armed early.</summary>
    public TimeSpan Grace => DeliveryGuards.GuardVisibility(options.Value.AttemptTimeout) + TimeSpan.FromSeconds(30);

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var overdueBefore = now - Grace;
        var filter = TableClient.CreateQueryFilter<DeliveryEntity>(
            d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt < overdueBefore);
        var rearmed = new List<Task>();
        await foreach (var delivery in storage.Jobs.QueryAsync<DeliveryEntity>(filter, cancellationToken: cancellationToken))
        {
            if (delivery.LeaseUntil is { } lease && lease > now)
            {
                continue;
            }
            rearmed.Add(timers.ScheduleAsync(new DeliveryRef(delivery.PartitionKey, delivery.DeliveryId), now));
        }
        await Task.WhenAll(rearmed);
        if (rearmed.Count > 0)
        {
            LogRearmed(logger, rearmed.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-armed {Count} overdue deliveries whose timers were lost")]
    private static partial void LogRearmed(ILogger logger, int count);
}
