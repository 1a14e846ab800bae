using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// The safety net under the delivery orchestrations: a pending delivery with no attempt made
/// <c>Delivery:UnstartedGrace</c> (2 minutes) after it was created, or whose next attempt is overdue by more than
/// <see cref="Grace"/>, has no orchestration working on it, or one that ended without ending it. Two ways to get there:
/// a start cut short by a crash after the delivery's row was committed (a job's work message is deleted only after its
/// deliveries were started, so its replay starts them too, but only once that message's 5-minute visibility has
/// passed; a redelivery or recovery has no such message), and an orchestration that failed or was terminated (by an
/// operator, or by a fault outside our code).
/// <para>
/// Starting them is <see cref="IDeliveryOrchestrations.StartOrRestartEndedAsync"/>, which leaves a running or completed
/// instance alone and starts afresh one that failed or was terminated; the fresh run asks for the attempt the delivery
/// row says is next, so nothing already recorded is sent again. A delivery that is merely late (a backlog, a host at its
/// concurrency limit) costs one instance look-up per sweep.
/// </para>
/// </summary>
internal sealed partial class StalledDeliverySweep(
    StorageAccount storage, IDeliveryOrchestrations orchestrations, IOptions<DeliveryOptions> options, TimeProvider time,
    ILogger<StalledDeliverySweep> logger) : ISweepTask
{
    /// <summary>
    /// For a delivery some attempt was made of: far longer than a timer fires late under load (the bench's backlog
    /// drain: 34 s at most), so that a busy engine is not also asked about every delivery it is behind on.
    /// </summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    /// <summary>At most this many look-ups per sweep; the rest wait for the next one (a sweep every minute).</summary>
    public const int MaxPerSweep = 500;

    private static readonly string[] Columns = ["PartitionKey", "RowKey", "DeliveryId", "MaxAttempts"];

    public string Name => "stalled-deliveries";

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var dueBefore = now - Grace;
        var createdBefore = now - options.Value.UnstartedGrace;
        var filter = TableClient.CreateQueryFilter<DeliveryEntity>(d => d.Status == DeliveryStatus.Pending
            && ((d.AttemptsMade == 0 && d.CreatedAt < createdBefore) || d.NextAttemptAt < dueBefore));
        var stalled = new List<DeliveryInput>();
        var overdue = 0;
        await foreach (var delivery in YieldingScan.ReadAsync(
            storage.Jobs.QueryAsync<DeliveryEntity>(filter, select: Columns, cancellationToken: cancellationToken), time, cancellationToken))
        {
            if (++overdue <= MaxPerSweep)
            {
                stalled.Add(new DeliveryInput(delivery.PartitionKey, delivery.DeliveryId, delivery.MaxAttempts));
            }
        }
        if (stalled.Count > 0)
        {
            await orchestrations.StartOrRestartEndedAsync(stalled, cancellationToken);
            LogChecked(logger, stalled.Count, overdue);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Made sure {Count} of {Overdue} overdue pending deliveries have a running orchestration")]
    private static partial void LogChecked(ILogger logger, int count, int overdue);
}
