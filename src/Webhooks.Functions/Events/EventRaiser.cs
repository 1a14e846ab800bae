using Azure.Data.Tables;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Events;

/// <summary>
/// Raises completion events exactly once. The job engine calls <see cref="PrepareAsync"/>, adds
/// <see cref="RaisedEvent.TransactionActions"/> to the transaction that marks the job complete, and after that commit
/// calls <see cref="PublishAsync"/>. A completion that is replayed (redelivered work message, crash) finds the job
/// already complete and calls <see cref="ResumeAsync"/> instead, which finishes whatever publishing was cut short.
/// </summary>
internal sealed class EventRaiser(StorageAccount storage, TeamStore teams, RetryPolicies policies, DeliveryOrchestrator orchestrator, TimeProvider time)
{
    /// <summary>A job raises one completion event, so the event id is the job id's suffix: <c>batch_abc…</c> → <c>event_abc…</c>.</summary>
    public static string EventIdForJob(string jobId) => "event_" + Ids.Suffix(jobId);

    /// <summary>
    /// Builds the event row and, when there is a destination (the job's webhook, else the team's default URL now),
    /// its first delivery row, and starts sending the guard message that will cover that delivery, so that the send
    /// and the caller's commit overlap. No row is written: a guard for a transaction that then loses its race finds
    /// nothing and does nothing.
    /// </summary>
    public async Task<RaisedEvent> PrepareAsync(
        string teamId, string jobId, string eventType, string dataJson, string? jobWebhook, CancellationToken cancellationToken)
    {
        var team = await teams.GetAsync(teamId, cancellationToken)
            ?? throw new InvalidOperationException($"Team {teamId} does not exist.");
        var now = time.GetUtcNow();
        var evt = new EventEntity
        {
            PartitionKey = jobId,
            EventId = EventIdForJob(jobId),
            Type = eventType,
            TeamId = teamId,
            ResourceId = jobId,
            Data = dataJson,
            CreatedAt = now,
        };
        var url = jobWebhook ?? team.DefaultWebhookUrl;
        IReadOnlyList<DeliveryEntity> deliveries = url is null
            ? []
            : [NewDelivery(evt, Ids.Derived("dlv", evt.EventId + "/first"), url, policies.ForTeam(team.RetryPolicy), now)];
        // Not awaited here: PublishAsync waits for it. Should the process die after the commit but before the send
        // lands, the overdue-delivery sweep finds the delivery instead (later, never lost).
        var guard = deliveries.Count == 0 ? null : orchestrator.GuardAsync(deliveries);
        guard?.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return new RaisedEvent(evt, deliveries, guard);
    }

    /// <summary>After the completion transaction committed: start delivering. Returns once the deliveries are guarded.</summary>
    public async Task PublishAsync(RaisedEvent raised, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(raised);
        var guard = raised.Guard is null ? null : await raised.Guard;
        await orchestrator.StartAsync(raised.Event, raised.Deliveries, guard);
    }

    /// <summary>
    /// For a completion that had already committed: re-arm every delivery of the event that is still pending and
    /// rewrite its listing rows. Re-arming an in-flight delivery is harmless (attempts are leased and recorded once).
    /// </summary>
    public async Task ResumeAsync(string jobId, CancellationToken cancellationToken)
    {
        var evtRow = await storage.Jobs.GetEntityIfExistsAsync<EventEntity>(jobId, EventEntity.Row, cancellationToken: cancellationToken);
        if (!evtRow.HasValue || evtRow.Value is null)
        {
            return;
        }
        var deliveries = new List<DeliveryEntity>();
        await foreach (var delivery in storage.Jobs.QueryAsync<DeliveryEntity>(
            d => d.PartitionKey == jobId && d.RowKey.CompareTo(DeliveryEntity.RowPrefix) >= 0 && d.RowKey.CompareTo(DeliveryEntity.RowPrefix + "~") < 0,
            cancellationToken: cancellationToken))
        {
            deliveries.Add(delivery);
        }
        await orchestrator.ResumeAsync(evtRow.Value, deliveries);
    }

    /// <summary>A new delivery of an existing event (redeliver, recover): a fresh id, attempt 1 of the team's policy.</summary>
    public async Task<DeliveryEntity> RedeliverAsync(EventEntity evt, string url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var team = await teams.GetAsync(evt.TeamId, cancellationToken)
            ?? throw new InvalidOperationException($"Team {evt.TeamId} does not exist.");
        var delivery = NewDelivery(evt, Ids.New("dlv"), url, policies.ForTeam(team.RetryPolicy), time.GetUtcNow());
        var guard = await orchestrator.GuardAsync([delivery]);
        await storage.Jobs.AddEntityAsync(delivery, cancellationToken);
        await orchestrator.StartAsync(evt, [delivery], guard);
        return delivery;
    }

    private static DeliveryEntity NewDelivery(EventEntity evt, string deliveryId, string url, RetryPolicy policy, DateTimeOffset now) =>
        DeliveryEntity.NewPending(evt.PartitionKey, evt.EventId, evt.Type, evt.TeamId, deliveryId, url, policy, now);
}
