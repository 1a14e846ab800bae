using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Events;
using Webhooks.Functions.Hosting;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// The durable orchestration of a delivery (ARCHITECTURE.md "The delivery path"): the delivery row is the instance,
/// <see cref="DeliveryAttempt"/> the activity, hidden <c>deliveries</c> messages the durable timers, attempt rows the
/// history. This is where retries are decided.
/// <list type="bullet">
/// <item>New deliveries: a guard message first, then attempt 1 at once, in memory.</item>
/// <item>Every outcome: the attempt row and the delivery's new state in one transaction. Adding the attempt row is
/// what makes it idempotent: a second runner of the same attempt fails the whole transaction and records nothing.</item>
/// <item>A retryable failure: a timer for the next attempt, on the delivery's policy with jitter and Retry-After.</item>
/// <item>A queued attempt (timer, or a guard that came back after a crash) first takes a lease on the delivery row
/// with its ETag, so two runners never send the same delivery at once.</item>
/// </list>
/// </summary>
internal sealed partial class DeliveryOrchestrator(
    StorageAccount storage,
    DeliveryAttempt attempt,
    DeliveryGuards guards,
    DeliveryTimers timers,
    HostConcurrency concurrency,
    EventIndex index,
    TeamStore teams,
    BackgroundWork background,
    IOptions<DeliveryOptions> options,
    Random random,
    TimeProvider time,
    ILogger<DeliveryOrchestrator> logger)
{
    /// <summary>How early a timer may fire before its attempt is due; the runner waits out the rest.</summary>
    private static readonly TimeSpan EarlyTolerance = DeliveryTimers.Window + TimeSpan.FromSeconds(1);

    private static readonly System.Diagnostics.Metrics.Counter<long> Attempts = Telemetry.Meter.CreateCounter<long>("webhooks.delivery.attempts");
    private static readonly System.Diagnostics.Metrics.Histogram<double> AttemptDuration =
        Telemetry.Meter.CreateHistogram<double>("webhooks.delivery.attempt.duration", "ms");

    private TimeSpan LeaseLength => options.Value.AttemptTimeout + TimeSpan.FromSeconds(30);

    /// <summary>
    /// Covers deliveries with a guard message BEFORE their rows are committed, so that a crash right after the commit
    /// still finds a guard coming back for them. A guard whose deliveries were never committed finds nothing to do.
    /// </summary>
    public Task<DeliveryGuard> GuardAsync(IReadOnlyList<DeliveryEntity> deliveries)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        return guards.CoverAsync(deliveries.Select(d => new DeliveryRef(d.PartitionKey, d.DeliveryId)).ToList());
    }

    /// <summary>
    /// Starts deliveries whose rows were just committed under <paramref name="guard"/>, the guard that
    /// <see cref="GuardAsync"/> returned for exactly these deliveries (one guard message is shared by many callers,
    /// each releasing its own). Their first attempts run in the background.
    /// </summary>
    public async Task StartAsync(EventEntity evt, IReadOnlyList<DeliveryEntity> deliveries, DeliveryGuard? guard)
    {
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(deliveries);
        if (deliveries.Count == 0)
        {
            await index.WriteAsync(evt, deliveries);
            return;
        }
        guard ??= await GuardAsync(deliveries);
        background.Run(async () =>
        {
            // The guard is deleted only after the listing rows exist too: if we die first, the guard's return rewrites them.
            var indexed = index.WriteAsync(evt, deliveries);
            await Task.WhenAll(deliveries.Select(d => RunFirstAttemptAsync(evt, d, guard, indexed)));
        });
    }

    private async Task RunFirstAttemptAsync(EventEntity evt, DeliveryEntity delivery, DeliveryGuard guard, Task indexed)
    {
        try
        {
            var team = await teams.GetAsync(delivery.TeamId, CancellationToken.None)
                ?? throw new InvalidOperationException($"Team {delivery.TeamId} of delivery {delivery.DeliveryId} does not exist.");
            AttemptResult result;
            using (var slot = await concurrency.AcquireAsync(new Uri(delivery.Url), CancellationToken.None))
            {
                if (time.GetUtcNow() > guard.MustStartBy)
                {
                    // Waited too long for a slot: the guard will reappear and run it under a lease instead.
                    guard.Abandon();
                    return;
                }
                result = await attempt.SendAsync(delivery, evt, 1, team.ActiveSecrets(time.GetUtcNow()), CancellationToken.None);
            }
            await RecordAsync(evt, delivery, 1, result);
            await indexed;
            await guard.ReleaseAsync();
        }
        catch (Exception e)
        {
            guard.Abandon();
            LogFirstAttemptLeftToGuard(logger, e, evt.EventId, delivery.DeliveryId);
        }
    }

    /// <summary>
    /// Re-arms an event's pending deliveries after its completion was replayed: a timer at each one's next attempt
    /// time, and its listing rows rewritten. Safe to repeat.
    /// </summary>
    public async Task ResumeAsync(EventEntity evt, IReadOnlyList<DeliveryEntity> deliveries)
    {
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(deliveries);
        await index.WriteAsync(evt, deliveries);
        await Task.WhenAll(deliveries
            .Where(d => d.Status == DeliveryStatus.Pending)
            .Select(d => timers.ScheduleAsync(new DeliveryRef(d.PartitionKey, d.DeliveryId), d.NextAttemptAt ?? time.GetUtcNow())));
    }

    /// <summary>The <c>deliveries</c> queue function: resume each named delivery from its row.</summary>
    public async Task HandleMessageAsync(DeliveryMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await Task.WhenAll(message.Deliveries.Select(d => RunQueuedAsync(d, cancellationToken)));
    }

    private async Task RunQueuedAsync(DeliveryRef reference, CancellationToken cancellationToken)
    {
        var row = await storage.Jobs.GetEntityIfExistsAsync<DeliveryEntity>(
            reference.Partition, DeliveryEntity.RowKeyFor(reference.DeliveryId), cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value is null || DeliveryStatus.IsFinal(row.Value.Status))
        {
            return;
        }
        var delivery = row.Value;
        var now = time.GetUtcNow();
        if (delivery.NextAttemptAt is { } due && due > now)
        {
            if (due - now > EarlyTolerance)
            {
                await timers.ScheduleAsync(reference, due);
                return;
            }
            await Task.Delay(due - now, time, cancellationToken);
            now = time.GetUtcNow();
        }
        if (delivery.LeaseUntil is { } lease && lease > now)
        {
            // Another runner is sending it right now; if that runner dies, the sweeper finds the delivery overdue.
            return;
        }

        delivery.LeaseUntil = now + LeaseLength;
        try
        {
            var leased = await storage.Jobs.UpdateEntityAsync(delivery, delivery.ETag, TableUpdateMode.Replace, cancellationToken);
            delivery.ETag = leased.Headers.ETag ?? delivery.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return;
        }

        var evtRow = await storage.Jobs.GetEntityIfExistsAsync<EventEntity>(reference.Partition, EventEntity.Row, cancellationToken: cancellationToken);
        if (!evtRow.HasValue || evtRow.Value is null)
        {
            throw new InvalidOperationException($"Delivery {reference.DeliveryId} has no event row in {reference.Partition}.");
        }
        var evt = evtRow.Value;
        var attemptNumber = delivery.AttemptsMade + 1;
        if (attemptNumber == 1)
        {
            // A first attempt run from the queue means the process that created it died: its listing rows may be missing.
            await index.WriteAsync(evt, [delivery]);
        }
        var team = await teams.GetAsync(delivery.TeamId, cancellationToken)
            ?? throw new InvalidOperationException($"Team {delivery.TeamId} of delivery {delivery.DeliveryId} does not exist.");
        AttemptResult result;
        using (await concurrency.AcquireAsync(new Uri(delivery.Url), cancellationToken))
        {
            result = await attempt.SendAsync(delivery, evt, attemptNumber, team.ActiveSecrets(time.GetUtcNow()), cancellationToken);
        }
        await RecordAsync(evt, delivery, attemptNumber, result);
    }

    /// <summary>Records attempt <paramref name="attemptNumber"/> and the delivery's new state in one transaction, then arms the next timer.</summary>
    private async Task RecordAsync(EventEntity evt, DeliveryEntity delivery, int attemptNumber, AttemptResult result)
    {
        var now = time.GetUtcNow();
        var delays = RetrySchedule.Parse(delivery.Schedule);
        delivery.AttemptsMade = attemptNumber;
        delivery.Attempt = DeliveryEntity.FormatAttempt(attemptNumber, delivery.MaxAttempts);
        delivery.LastStatusCode = result.StatusCode;
        delivery.LastError = result.Outcome == AttemptOutcome.Gone ? "gone" : result.Error;
        delivery.LeaseUntil = null;
        if (result.IsDelivered)
        {
            delivery.Status = DeliveryStatus.Delivered;
            delivery.DeliveredAt = now;
            delivery.NextAttemptAt = null;
        }
        else if (result.EndsDelivery || attemptNumber >= delivery.MaxAttempts)
        {
            delivery.Status = DeliveryStatus.Failed;
            delivery.NextAttemptAt = null;
        }
        else
        {
            var delay = RetrySchedule.NextDelay(delays, attemptNumber + 1, options.Value.Jitter, random.NextDouble(),
                result.RetryAfter, options.Value.MaxRetryAfter);
            delivery.NextAttemptAt = now + delay;
        }

        var history = new AttemptEntity
        {
            PartitionKey = delivery.PartitionKey,
            RowKey = AttemptEntity.RowKeyFor(delivery.DeliveryId, attemptNumber),
            DeliveryId = delivery.DeliveryId,
            Attempt = delivery.Attempt,
            AttemptNumber = attemptNumber,
            StartedAt = result.StartedAt,
            DurationMs = (long)result.Duration.TotalMilliseconds,
            Outcome = result.Outcome,
            StatusCode = result.StatusCode,
            ResponseExcerpt = result.ResponseExcerpt,
            Error = result.Error,
        };
        try
        {
            await storage.Jobs.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, history),
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, delivery, ETag.All),
            ]);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            LogAttemptAlreadyRecorded(logger, evt.EventId, delivery.DeliveryId, delivery.Attempt);
            return;
        }

        Attempts.Add(1, new KeyValuePair<string, object?>("outcome", result.Outcome));
        AttemptDuration.Record(result.Duration.TotalMilliseconds);
        LogAttempt(logger, evt.EventId, delivery.DeliveryId, delivery.Attempt, result.Outcome, result.StatusCode, delivery.Status);

        if (delivery.Status == DeliveryStatus.Pending)
        {
            await timers.ScheduleAsync(new DeliveryRef(delivery.PartitionKey, delivery.DeliveryId), delivery.NextAttemptAt!.Value);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Event {EventId} delivery {DeliveryId} attempt {Attempt}: {Outcome} (HTTP {StatusCode}); delivery is {Status}")]
    private static partial void LogAttempt(ILogger logger, string eventId, string deliveryId, string attempt, string outcome, int? statusCode, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} delivery {DeliveryId} attempt {Attempt} was already recorded by another runner")]
    private static partial void LogAttemptAlreadyRecorded(ILogger logger, string eventId, string deliveryId, string attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} delivery {DeliveryId}: first attempt left to its guard message")]
    private static partial void LogFirstAttemptLeftToGuard(ILogger logger, Exception exception, string eventId, string deliveryId);
}
