using System.Text.Json;
using Azure.Data.Tables;
using Webhooks.Functions.Api;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Events;

/// <summary>
/// <c>POST /v1/webhooks/test</c>: one signed <c>event.ping</c> attempt sent right away, signed and shaped like every
/// real attempt. The event, its one-attempt delivery (policy <c>ping</c>) and the attempt are recorded together after
/// the attempt, in the ping's own partition, so the ping shows in the event log like any event and never enters the
/// retry machinery: a ping that is never recorded as pending can never be retried behind the customer's back.
/// </summary>
internal sealed partial class PingSender(
    OneShotDelivery oneShot, EventIndex index, TeamStore teams, TimeProvider time, ILogger<PingSender> logger)
{
    public const string Policy = "ping";

    public async Task<(EventEntity Event, DeliveryEntity Delivery, AttemptEntity Attempt)> SendAsync(
        string teamId, string url, CancellationToken cancellationToken)
    {
        var team = await teams.GetAsync(teamId, cancellationToken)
            ?? throw new InvalidOperationException($"Team {teamId} does not exist.");
        var now = time.GetUtcNow();
        var eventId = Ids.New(Ids.EventPrefix);
        var evt = new EventEntity
        {
            PartitionKey = eventId,
            EventId = eventId,
            Type = EventTypes.Ping,
            TeamId = teamId,
            ResourceId = null,
            Data = JsonSerializer.Serialize(new PingData("ping", teamId), ApiJson.Options),
            CreatedAt = now,
        };
        var deliveryId = Ids.New(Ids.DeliveryPrefix);
        var delivery = DeliveryEntity.NewOneShot(eventId, evt.ToDelivered(), teamId, deliveryId, url, Policy, now);
        var history = await oneShot.SendAndRecordAsync(
            delivery, team.ActiveKeys(now), [new TableTransactionAction(TableTransactionActionType.Add, evt)], cancellationToken);
        try
        {
            await index.WriteAsync(evt, [delivery]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The answer is still the attempt's outcome; the repair sweep writes the missing listing rows.
            LogIndexLeftToRepair(logger, e, eventId, deliveryId);
        }
        LogPing(logger, eventId, deliveryId, history.Outcome, history.StatusCode);
        return (evt, delivery, history);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ping event {EventId} delivery {DeliveryId}: {Outcome} (HTTP {StatusCode})")]
    private static partial void LogPing(ILogger logger, string eventId, string deliveryId, string outcome, int? statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ping event {EventId} delivery {DeliveryId}: listing rows left to the repair sweep")]
    private static partial void LogIndexLeftToRepair(ILogger logger, Exception exception, string eventId, string deliveryId);
}
