using Azure;
using Azure.Data.Tables;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// The activity of <see cref="DeliverWebhookOrchestrator"/>: one attempt of a delivery, sent by
/// <see cref="WebhookSender"/> and recorded, with the delivery's new state, in one table transaction.
/// <para>
/// At-least-once safe: the engine may run an attempt again (a crash before its result was saved). The attempt row is
/// insert-only, so a second recording fails as a whole, and an attempt the delivery row already counts is not sent
/// again: the activity reports what was recorded. A host at its concurrency limit gets no attempt at all: the activity
/// answers "try again shortly" at once instead of holding one of the engine's activity slots while it waits.
/// </para>
/// </summary>
internal sealed partial class DeliveryAttemptActivity(
    StorageAccount storage,
    WebhookSender sender,
    HostConcurrency concurrency,
    IDeliveryOwners owners,
    IDeliveryGate gate,
    ISigningKeys signingKeys,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<DeliveryAttemptActivity> logger) : TaskActivity<AttemptRequest, AttemptReport>
{
    public const string Name = "DeliveryAttempt";

    private const string EventRowOfOlderDeliveries = "event";

    /// <summary>How long an attempt waits when its host is at its concurrency limit: not an attempt, only a pause.</summary>
    public static readonly TimeSpan ThrottledWait = TimeSpan.FromSeconds(1);

    public override Task<AttemptReport> RunAsync(TaskActivityContext context, AttemptRequest input) => RunAsync(input, CancellationToken.None);

    public async Task<AttemptReport> RunAsync(AttemptRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var deliveryRow = await storage.Jobs.GetEntityIfExistsAsync<DeliveryEntity>(
            input.Partition, DeliveryEntity.RowKeyFor(input.DeliveryId), cancellationToken: cancellationToken);
        if (!deliveryRow.HasValue || deliveryRow.Value is null)
        {
            LogDeliveryMissing(logger, input.DeliveryId, input.Partition);
            return new AttemptReport(DeliveryStatus.Missing, "", input.Attempt, null);
        }
        var delivery = deliveryRow.Value;
        if (delivery.Status != DeliveryStatus.Pending || delivery.AttemptsMade >= input.Attempt)
        {
            // Recorded already (this attempt ran before, or the delivery ended another way): report it, send nothing.
            return AttemptReport.From(delivery);
        }
        var evt = delivery.Sends() ?? await ReadEventOfOlderDeliveryAsync(delivery, cancellationToken);
        if (evt is null)
        {
            LogDeliveryMissing(logger, input.DeliveryId, input.Partition);
            return new AttemptReport(DeliveryStatus.Missing, "", input.Attempt, null);
        }

        if (!await owners.ExistsAsync(delivery.TeamId, cancellationToken))
        {
            // Nobody left to sign for or to read the log: the delivery ends here, like one whose rows are gone.
            LogTeamMissing(logger, input.DeliveryId, delivery.TeamId);
            return new AttemptReport(DeliveryStatus.Missing, delivery.Attempt, input.Attempt, null);
        }
        var decision = await gate.BeforeAttemptAsync(delivery, cancellationToken);
        switch (decision.Verdict)
        {
            case GateVerdict.Wait:
                return AttemptReport.From(delivery) with { NextAttemptAt = decision.WaitUntil };
            case GateVerdict.Park:
                return await EndWithoutAttemptAsync(delivery, DeliveryStatus.Parked, delivery.LastError, cancellationToken);
            case GateVerdict.Fail:
                return await EndWithoutAttemptAsync(delivery, DeliveryStatus.Failed, decision.Reason, cancellationToken);
        }
        if (decision.Url is { } movedTo)
        {
            // Recorded with the attempt: the delivery row always shows where its last attempt went.
            delivery.Url = movedTo;
        }
        if (await signingKeys.ForDeliveryAsync(delivery, cancellationToken) is not { } keys)
        {
            // Its endpoint was deleted after the gate let the attempt through: end it as the gate would have.
            return await EndWithoutAttemptAsync(delivery, DeliveryStatus.Failed, GateDecision.EndpointDeletedReason, cancellationToken);
        }
        AttemptResult result;
        var destination = new Uri(delivery.Url);
        using (var slot = concurrency.TryAcquire(destination))
        {
            if (slot is null)
            {
                LogWaitingForSlot(logger, delivery.DeliveryId, destination);
                return AttemptReport.From(delivery) with { NextAttemptAt = time.GetUtcNow() + ThrottledWait };
            }
            result = await sender.SendAsync(delivery, evt, input.Attempt, keys, cancellationToken);
        }
        concurrency.Record(destination, result);
        return await RecordAsync(delivery, input.Attempt, result, cancellationToken);
    }

    /// <summary>
    /// Ends (or parks) the delivery without an attempt, as its destination decided. A conflict means another run changed
    /// the row first: what it recorded is reported.
    /// </summary>
    private async Task<AttemptReport> EndWithoutAttemptAsync(DeliveryEntity delivery, string status, string? error, CancellationToken cancellationToken)
    {
        delivery.Status = status;
        delivery.NextAttemptAt = null;
        delivery.LastError = error;
        try
        {
            await storage.Jobs.UpdateEntityAsync(delivery, delivery.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.IsWriteConflict())
        {
            var recorded = await storage.Jobs.GetEntityAsync<DeliveryEntity>(delivery.PartitionKey, delivery.RowKey, cancellationToken: cancellationToken);
            return AttemptReport.From(recorded.Value);
        }
        LogEndedWithoutAttempt(logger, delivery.EventId, delivery.DeliveryId, status, error);
        return AttemptReport.From(delivery);
    }

    /// <summary>
    /// A delivery row written before rows carried <see cref="DeliveryEntity.EventData"/> has its event's data only on the
    /// event row (row key <c>event</c> of the same partition): read from there, so such a delivery still goes out.
    /// </summary>
    private async Task<DeliveredEvent?> ReadEventOfOlderDeliveryAsync(DeliveryEntity delivery, CancellationToken cancellationToken)
    {
        var row = await storage.Jobs.GetEntityIfExistsAsync<TableEntity>(
            delivery.PartitionKey, EventRowOfOlderDeliveries, select: ["Data"], cancellationToken: cancellationToken);
        return row.HasValue && row.Value?.GetString("Data") is { } data ? new DeliveredEvent(delivery.EventId, delivery.EventType, data) : null;
    }

    /// <summary>Records the attempt row and the delivery's new state in one transaction; a conflict means another run recorded it.</summary>
    private async Task<AttemptReport> RecordAsync(DeliveryEntity delivery, int attempt, AttemptResult result, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (status, nextDelay) = RetryDecision.After(
            result, attempt, delivery.MaxAttempts, RetrySchedule.Parse(delivery.Schedule), delivery.DeliveryId,
            options.Value.Jitter, options.Value.MaxRetryAfter);
        delivery.Apply(attempt, result, status, now + nextDelay, now);
        try
        {
            await storage.Jobs.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, AttemptEntity.For(delivery, attempt, result)),
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, delivery, delivery.ETag),
            ], cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
            && ((e is TableTransactionFailedException conflict && conflict.IsWriteConflict()) || StorageUnavailable.Is(e, cancellationToken)))
        {
            // Either another run recorded this attempt first (a conflict), or this run's transaction was committed and
            // its answer lost (a reset or a late answer, then the storage client's retry met the committed rows, or its
            // retries ran out). The attempt row tells which: this run's is the one that started when this send did, and
            // it is counted here, once, as if the answer had come.
            var mine = await RecordedByThisRunAsync(delivery, attempt, result, cancellationToken);
            if (mine != true)
            {
                if (e is not TableTransactionFailedException)
                {
                    throw;
                }
                LogAttemptAlreadyRecorded(logger, delivery.EventId, delivery.DeliveryId, delivery.Attempt);
                var recorded = await storage.Jobs.GetEntityAsync<DeliveryEntity>(delivery.PartitionKey, delivery.RowKey, cancellationToken: cancellationToken);
                return AttemptReport.From(recorded.Value);
            }
            LogAttemptCommittedAnswerLost(logger, delivery.DeliveryId, delivery.Attempt);
        }

        try
        {
            await gate.AttemptRecordedAsync(delivery, result, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Health counts and stats are a summary: losing one never costs the attempt its recorded outcome.
            LogHealthCountFailed(logger, e, delivery.DeliveryId);
        }
        DeliveryMetrics.AttemptRecorded(delivery, result);
        LogAttempt(logger, delivery.EventId, delivery.DeliveryId, delivery.Attempt, result.Outcome, result.StatusCode, delivery.Status);
        return AttemptReport.From(delivery);
    }

    /// <summary>
    /// After a record transaction that failed or whose answer was lost: true when its attempt row is this run's (the
    /// transaction was committed), false when another run's, null when there is none (nothing was committed).
    /// </summary>
    private async Task<bool?> RecordedByThisRunAsync(DeliveryEntity delivery, int attempt, AttemptResult result, CancellationToken cancellationToken)
    {
        var row = await storage.Jobs.GetEntityIfExistsAsync<AttemptEntity>(
            delivery.PartitionKey, AttemptEntity.RowKeyFor(delivery.DeliveryId, attempt), cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value is null)
        {
            return null;
        }
        // Runs of one attempt are one after the other, each starting its send anew: no two start within a millisecond.
        return (row.Value.StartedAt - result.StartedAt).Duration() < TimeSpan.FromMilliseconds(1) && row.Value.Outcome == result.Outcome;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Event {EventId} delivery {DeliveryId} attempt {Attempt}: {Outcome} (HTTP {StatusCode}); delivery is {Status}")]
    private static partial void LogAttempt(ILogger logger, string eventId, string deliveryId, string attempt, string outcome, int? statusCode, string status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Delivery {DeliveryId} waits for a slot: {Host} allows {Limit} attempts in flight now")]
    private static partial void LogWaitingForSlot(ILogger logger, string deliveryId, string host, int limit);

    private void LogWaitingForSlot(ILogger logger, string deliveryId, Uri destination)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var limit = concurrency.LimitOf(destination);
            LogWaitingForSlot(logger, deliveryId, destination.Authority, limit);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} delivery {DeliveryId} is {Status} without an attempt: {Reason}")]
    private static partial void LogEndedWithoutAttempt(ILogger logger, string eventId, string deliveryId, string status, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId}: its attempt could not be counted for its endpoint's health")]
    private static partial void LogHealthCountFailed(ILogger logger, Exception exception, string deliveryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} delivery {DeliveryId} attempt {Attempt} was already recorded by another run")]
    private static partial void LogAttemptAlreadyRecorded(ILogger logger, string eventId, string deliveryId, string attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} attempt {Attempt}: its record was committed and the answer lost; counted once")]
    private static partial void LogAttemptCommittedAnswerLost(ILogger logger, string deliveryId, string attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} belongs to team {TeamId}, which no longer exists: its orchestration ends")]
    private static partial void LogTeamMissing(ILogger logger, string deliveryId, string teamId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} in {Partition} has no delivery or event row: its orchestration ends")]
    private static partial void LogDeliveryMissing(ILogger logger, string deliveryId, string partition);
}
