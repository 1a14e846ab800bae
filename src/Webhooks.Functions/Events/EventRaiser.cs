using Azure.Data.Tables;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Events;

/// <summary>
/// Raises completion events exactly once. The job engine calls <see cref="PrepareAsync"/>, adds
/// <see cref="RaisedEvent.TransactionActions"/> to the transaction that marks the job complete, and after that commit
/// calls <see cref="PublishAsync"/>, which starts one delivery orchestration per delivery; the job's work message is
/// deleted only after that. A completion that is replayed (redelivered work message, crash) finds the job already
/// complete and calls <see cref="ResumeAsync"/> instead, which starts whatever was not started and never restarts a
/// delivery whose orchestration exists.
/// </summary>
internal sealed class EventRaiser(
    StorageAccount storage,
    TeamStore teams,
    RetryPolicies policies,
    IDeliveryOrchestrations orchestrations,
    IEventDestinations destinations,
    EventIndex index,
    TimeProvider time)
{
    /// <summary>A job raises one completion event, so the event id is the job id's suffix: <c>batch_abc…</c> → <c>event_abc…</c>.</summary>
    public static string EventIdForJob(string jobId) => Ids.WithSuffix(Ids.EventPrefix, Ids.Suffix(jobId));

    /// <summary>
    /// Builds the event row and its deliveries (SPEC §8): to the job's webhook alone when it named one; otherwise to
    /// every endpoint of the team that receives the type (parked while the endpoint is disabled) and to the team's
    /// default URL. Nothing is written or started here.
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
        var policy = policies.ForTeam(team.RetryPolicy);
        var deliveries = new List<DeliveryEntity>();
        if (jobWebhook is null)
        {
            foreach (var endpoint in await destinations.ForAsync(teamId, eventType, cancellationToken))
            {
                var delivery = NewDelivery(evt, Ids.Derived(Ids.DeliveryPrefix, evt.EventId + "/" + endpoint.EndpointId), endpoint.Url, policy, now);
                delivery.EndpointId = endpoint.EndpointId;
                if (!endpoint.IsEnabled)
                {
                    delivery.Park();
                }
                deliveries.Add(delivery);
            }
        }
        if ((jobWebhook ?? team.DefaultWebhookUrl) is { } url)
        {
            deliveries.Add(NewDelivery(evt, Ids.Derived(Ids.DeliveryPrefix, evt.EventId + "/first"), url, policy, now));
        }
        return new RaisedEvent(evt, deliveries);
    }

    /// <summary>
    /// Raises an event that belongs to no job (SPEC §9's operational events) in its own partition, exactly once for
    /// <paramref name="eventId"/>, with one delivery to <paramref name="url"/> when there is one, and starts it. A
    /// second raise of the same id starts whatever the first left unstarted and writes nothing new.
    /// </summary>
    public async Task RaiseOwnAsync(
        string teamId, string eventId, string eventType, string? resourceId, string dataJson, string? url, string? retryPolicy,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var evt = new EventEntity
        {
            PartitionKey = eventId,
            EventId = eventId,
            Type = eventType,
            TeamId = teamId,
            ResourceId = resourceId,
            Data = dataJson,
            CreatedAt = now,
        };
        IReadOnlyList<DeliveryEntity> deliveries = url is null
            ? []
            : [NewDelivery(evt, Ids.Derived(Ids.DeliveryPrefix, eventId + "/first"), url, policies.ForTeam(retryPolicy), now)];
        try
        {
            await storage.Jobs.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, evt),
                    .. deliveries.Select(d => new TableTransactionAction(TableTransactionActionType.Add, d))],
                cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.IsEntityAlreadyExists())
        {
            await ResumeAsync(eventId, cancellationToken);
            return;
        }
        await StartAsync(evt, deliveries, cancellationToken);
    }

    /// <summary>After the completion transaction committed: start delivering. Returns once every orchestration is created.</summary>
    public Task PublishAsync(RaisedEvent raised, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(raised);
        return StartAsync(raised.Event, raised.Deliveries, cancellationToken);
    }

    /// <summary>
    /// For a completion that had already committed: start the orchestration of every delivery of the event that is
    /// still pending (one that exists already is left alone) and rewrite its listing rows. Safe to repeat.
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
            d => d.PartitionKey == jobId && d.RowKey.CompareTo(DeliveryEntity.RowPrefix) >= 0 && d.RowKey.CompareTo(DeliveryEntity.RowPrefix + KeyRange.End) < 0,
            cancellationToken: cancellationToken))
        {
            deliveries.Add(delivery);
        }
        await StartAsync(evtRow.Value, deliveries, cancellationToken);
    }

    /// <summary>A new delivery of an existing event (redeliver, recover): a fresh id, attempt 1 of the team's policy.</summary>
    public async Task<DeliveryEntity> RedeliverAsync(EventEntity evt, string url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var team = await teams.GetAsync(evt.TeamId, cancellationToken)
            ?? throw new InvalidOperationException($"Team {evt.TeamId} does not exist.");
        var delivery = NewDelivery(evt, Ids.New(Ids.DeliveryPrefix), url, policies.ForTeam(team.RetryPolicy), time.GetUtcNow());
        await CommittedInsert.RunAsync(() => storage.Jobs.AddEntityAsync(delivery, cancellationToken),
            async () => (await storage.Jobs.GetEntityIfExistsAsync<DeliveryEntity>(delivery.PartitionKey, delivery.RowKey, cancellationToken: cancellationToken)) is { HasValue: true });
        // Once the row exists it must be sent, whether or not the caller is still waiting.
        await StartAsync(evt, [delivery], CancellationToken.None);
        return delivery;
    }

    /// <summary>Starts the orchestrations of deliveries whose rows are committed, and writes their listing rows beside.</summary>
    public async Task StartAsync(EventEntity evt, IReadOnlyList<DeliveryEntity> deliveries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(deliveries);
        await Task.WhenAll(
            index.WriteAsync(evt, deliveries),
            orchestrations.StartDeliveriesAsync([.. deliveries.Where(d => d.Status == DeliveryStatus.Pending).Select(DeliveryInput.For)], cancellationToken));
    }

    private static DeliveryEntity NewDelivery(EventEntity evt, string deliveryId, string url, RetryPolicy policy, DateTimeOffset now) =>
        DeliveryEntity.NewPending(evt.PartitionKey, evt.ToDelivered(), evt.TeamId, deliveryId, url, policy, now);
}
