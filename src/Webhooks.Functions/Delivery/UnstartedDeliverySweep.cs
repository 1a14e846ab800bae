using Azure.Data.Tables;
using Webhooks.Functions.Hosting;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// Starts the orchestration of a delivery whose row was committed but whose start was cut short by a crash: a
/// redelivery or recovery between its commit and its start. (A job's deliveries need no sweep: the job's work message
/// is deleted only after they were started, so a crash replays the completion.) Such a delivery is still pending with
/// no attempt made long after it was created; starting it again is harmless, since an existing instance is never
/// started twice, so this never sends anything itself.
/// </summary>
internal sealed partial class UnstartedDeliverySweep(
    StorageAccount storage, IDeliveryOrchestrations orchestrations, TimeProvider time, ILogger<UnstartedDeliverySweep> logger) : ISweepTask
{
    /// <summary>Far longer than a start takes; a delivery whose first attempt is merely throttled costs one look-up.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    private static readonly string[] Columns = ["PartitionKey", "RowKey", "DeliveryId", "MaxAttempts"];

    public string Name => "unstarted-deliveries";

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var createdBefore = time.GetUtcNow() - Grace;
        var filter = TableClient.CreateQueryFilter<DeliveryEntity>(
            d => d.Status == DeliveryStatus.Pending && d.AttemptsMade == 0 && d.CreatedAt < createdBefore);
        var unstarted = new List<DeliveryInput>();
        await foreach (var delivery in YieldingScan.ReadAsync(
            storage.Jobs.QueryAsync<DeliveryEntity>(filter, select: Columns, cancellationToken: cancellationToken), time, cancellationToken))
        {
            unstarted.Add(new DeliveryInput(delivery.PartitionKey, delivery.DeliveryId, delivery.MaxAttempts));
        }
        if (unstarted.Count > 0)
        {
            await orchestrations.StartAsync(unstarted, cancellationToken);
            LogChecked(logger, unstarted.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Made sure {Count} long-pending deliveries with no attempt have an orchestration")]
    private static partial void LogChecked(ILogger logger, int count);
}
