using System.Runtime.ExceptionServices;
using Azure.Data.Tables;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Events;

/// <summary>
/// <c>POST /v1/deliveries/recover</c>: redelivers each of a team's deliveries that ended <c>failed</c> in a window.
/// <para>
/// Each failed delivery is recovered at most once: its replacement delivery and a <see cref="RecoveryEntity"/> mark are
/// added in one transaction in the event's partition, so a second recover (same window, an overlapping one, or one
/// racing the first) fails that insert and sends nothing. If the replacement fails too, it is itself a failed delivery
/// that a later recover picks up, so repeated recovers walk the chain instead of sending the same delivery twice.
/// A crash after the transaction and before the replacement's orchestration is started leaves it <c>pending</c> with no
/// attempt, which <see cref="StalledDeliverySweep"/> starts: recovered deliveries are never lost.
/// </para>
/// <para>
/// Pings (<c>event.ping</c>) are not recovered: they are one-shot connectivity tests, not events a receiver is owed.
/// Deliveries are found through the listing index; <see cref="EventIndexRepairSweep"/> guarantees every delivery has
/// its listing row within one repair interval of being written.
/// </para>
/// </summary>
internal sealed partial class DeliveryRecovery(
    StorageAccount storage,
    DeliveryLog log,
    TeamStore teams,
    RetryPolicies policies,
    EventRaiser raiser,
    TimeProvider time,
    ILogger<DeliveryRecovery> logger)
{
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(14);
    private const int ChunkSize = 100;

    /// <summary>Recovers the failed deliveries created in [<paramref name="since"/>, <paramref name="until"/>); returns how many this call started.</summary>
    public async Task<int> RecoverAsync(string teamId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var team = await teams.GetAsync(teamId, cancellationToken)
            ?? throw new InvalidOperationException($"Team {teamId} does not exist.");
        var policy = policies.ForTeam(team.RetryPolicy);
        var events = new Dictionary<string, EventEntity?>(StringComparer.Ordinal);
        var failed = new List<DeliveryEntity>();
        var count = 0;
        await foreach (var (_, delivery) in log.ScanDeliveriesAsync(teamId, after: null, since, until, ChunkSize, cancellationToken))
        {
            if (delivery is null || delivery.Status != DeliveryStatus.Failed || delivery.EventType == EventTypes.Ping)
            {
                continue;
            }
            failed.Add(delivery);
            if (failed.Count == ChunkSize)
            {
                count += await RecoverChunkAsync(failed, policy, events, since, until, cancellationToken);
                failed.Clear();
            }
        }
        count += await RecoverChunkAsync(failed, policy, events, since, until, cancellationToken);
        LogRecovered(logger, teamId, count, since, until);
        return count;
    }

    private async Task<int> RecoverChunkAsync(
        List<DeliveryEntity> failed, RetryPolicy policy, Dictionary<string, EventEntity?> events, DateTimeOffset since, DateTimeOffset until,
        CancellationToken cancellationToken)
    {
        // The event is read before claiming, so a claim is only made for a delivery that can be started.
        var unread = failed.Select(d => d.PartitionKey).Distinct(StringComparer.Ordinal).Where(p => !events.ContainsKey(p)).ToList();
        var read = await Task.WhenAll(unread.Select(p => log.ReadEventAsync(p, cancellationToken)));
        for (var i = 0; i < unread.Count; i++)
        {
            events[unread[i]] = read[i];
        }
        var claims = failed
            .Where(d => events[d.PartitionKey] is not null)
            .Select(d => TryClaimAsync(d, events[d.PartitionKey]!, policy, since, until, cancellationToken))
            .ToList();
        ExceptionDispatchInfo? refused = null;
        try
        {
            await Task.WhenAll(claims);
        }
        catch (Exception e)
        {
            // Storage refused some claims (throttled, unreachable): the caller hears of it, but the claims that did
            // commit are started now, not left for the stalled-delivery sweep minutes later.
            refused = ExceptionDispatchInfo.Capture(e);
        }
        var started = claims.Where(c => c.IsCompletedSuccessfully).Select(c => c.Result).OfType<DeliveryEntity>().ToList();
        // Once claimed, start regardless of the caller going away: the replacement exists and must be sent.
        await Task.WhenAll(started.Select(c => raiser.StartAsync(events[c.PartitionKey]!, [c], CancellationToken.None)));
        refused?.Throw();
        return started.Count;
    }

    /// <summary>Adds the replacement and the recovered mark together; null when the delivery was recovered before.</summary>
    private async Task<DeliveryEntity?> TryClaimAsync(
        DeliveryEntity failed, EventEntity evt, RetryPolicy policy, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var replacementId = Ids.New(Ids.DeliveryPrefix);
        var replacement = DeliveryEntity.NewPending(
            failed.PartitionKey, evt.ToDelivered(), failed.TeamId, replacementId, failed.Url, policy, now);
        // Still the endpoint's delivery: parked if it is disabled now, its rate respected.
        replacement.EndpointId = failed.EndpointId;
        var mark = new RecoveryEntity
        {
            PartitionKey = failed.PartitionKey,
            RowKey = RecoveryEntity.RowKeyFor(failed.DeliveryId),
            DeliveryId = failed.DeliveryId,
            RecoveredBy = replacementId,
            RecoveredAt = now,
            WindowSince = since,
            WindowUntil = until,
        };
        try
        {
            await storage.Jobs.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, mark),
                new TableTransactionAction(TableTransactionActionType.Add, replacement),
            ], cancellationToken);
            return replacement;
        }
        catch (TableTransactionFailedException e) when (e.IsEntityAlreadyExists())
        {
            // Recovered before, unless the mark is this call's own: the storage client retried the committed
            // transaction after its answer was lost, and the replacement it added must still be started.
            return await IsMarkOfAsync(mark, replacementId, cancellationToken) ? replacement : null;
        }
        catch (Exception e) when (StorageUnavailable.Is(e, cancellationToken))
        {
            // No answer, or none the client's retries could get (late answers, resets): the transaction may have been
            // committed all the same, and then its replacement is this call's to start; a retried recover would take
            // the mark for an earlier call's and leave the replacement to the stalled-delivery sweep.
            if (await IsMarkOfAsync(mark, replacementId, cancellationToken))
            {
                return replacement;
            }
            throw;
        }
    }

    private async Task<bool> IsMarkOfAsync(RecoveryEntity mark, string replacementId, CancellationToken cancellationToken)
    {
        var stored = await storage.Jobs.GetEntityIfExistsAsync<RecoveryEntity>(mark.PartitionKey, mark.RowKey, cancellationToken: cancellationToken);
        return stored is { HasValue: true, Value.RecoveredBy: var by } && by == replacementId;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Team {TeamId} recovered {Count} failed deliveries created from {Since} to {Until}")]
    private static partial void LogRecovered(ILogger logger, string teamId, int count, DateTimeOffset since, DateTimeOffset until);
}
