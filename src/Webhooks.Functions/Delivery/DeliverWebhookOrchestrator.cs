using Microsoft.DurableTask;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// The orchestration of one delivery (instance id = delivery id): attempt, and while the delivery stays pending wait
/// on a durable timer until the attempt the activity scheduled is due. The retry decision itself (next delay, jitter,
/// Retry-After, is this the last attempt) is <see cref="RetryDecision"/>, applied by the activity when it records the
/// attempt, so the delivery row and the timer always agree on <c>NextAttemptAt</c>.
/// <para>
/// Replay-safe: no I/O, no clock, no randomness here; every value comes from the input or from the activity's
/// recorded result. The custom status is the delivery's <c>"k/n"</c>, as in its table row.
/// </para>
/// <para>
/// An activity that throws (storage unreachable or too slow to answer) has not produced an outcome: the same attempt
/// runs again after a durable pause, for as long as it takes, so that an outage of our own never ends a delivery
/// (a failed orchestration would leave its row pending for ever). Re-running attempt k is safe: the activity sends
/// nothing for an attempt already recorded.
/// </para>
/// </summary>
internal sealed partial class DeliverWebhookOrchestrator : TaskOrchestrator<DeliveryInput, string>
{
    public const string Name = "DeliverWebhook";

    /// <summary>
    /// How long after an attempt's due time its timer is set. A queue's visibility delay has whole seconds, so the Azure
    /// Storage backend can fire a timer up to a second early; the margin keeps Retry-After honest. A fixed margin, not a
    /// second wait when the orchestration's clock shows the timer came early: that clock is the episode's start time,
    /// which differs when an episode is run again after a crash, and a decision that depends on it sent a timer in one
    /// run and scheduled the attempt in the next, whose orphaned timer then failed the orchestration (seen in the crash
    /// test).
    /// </summary>
    public static readonly TimeSpan EarlyTimerMargin = TimeSpan.FromSeconds(1);

    /// <summary>The pause after an activity failure; it doubles with each failure in a row, up to <see cref="MaxPauseAfterFailure"/>.</summary>
    public static readonly TimeSpan FirstPauseAfterFailure = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxPauseAfterFailure = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Failures in a row (about 25 minutes of them) after which the orchestration continues as new with its input, so
    /// that a long outage does not grow its history without bound. The fresh run asks for attempt 1, which the activity
    /// answers from the delivery row without sending, and goes on from the attempt actually due.
    /// </summary>
    public const int FailuresBeforeFreshHistory = 30;

    public override async Task<string> RunAsync(TaskOrchestrationContext context, DeliveryInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var attempt = 1;
        var report = new AttemptReport(DeliveryStatus.Pending, DeliveryEntity.FormatAttempt(1, input.MaxAttempts), 1, null);
        // Each pass makes an attempt, or waits out a host at its limit; the activity ends the delivery at its last attempt.
        while (attempt <= input.MaxAttempts)
        {
            context.SetCustomStatus(DeliveryEntity.FormatAttempt(attempt, input.MaxAttempts));
            var reported = await CallUntilDoneAsync<AttemptReport>(
                context, DeliveryAttemptActivity.Name, new AttemptRequest(input.Partition, input.DeliveryId, attempt));
            if (reported is null)
            {
                context.ContinueAsNew(input);
                return DeliveryStatus.Pending;
            }
            report = reported;
            context.SetCustomStatus(report.Attempt);
            if (report.HasEnded)
            {
                if (report.Status == DeliveryStatus.Failed
                    && await CallUntilDoneAsync<bool?>(context, DeliveryExhaustedActivity.Name, new AttemptRequest(input.Partition, input.DeliveryId, attempt)) is null)
                {
                    context.ContinueAsNew(input);
                    return DeliveryStatus.Pending;
                }
                return report.Status;
            }
            attempt = report.NextAttempt;
            await context.CreateTimer(report.NextAttemptAt!.Value.UtcDateTime + EarlyTimerMargin, CancellationToken.None);
        }
        return report.Status;
    }

    /// <summary>
    /// Runs an activity until it answers, pausing on a durable timer after each failure; null once it has failed
    /// <see cref="FailuresBeforeFreshHistory"/> times in a row, for the caller to go on in a fresh history.
    /// </summary>
    private static async Task<T?> CallUntilDoneAsync<T>(TaskOrchestrationContext context, string activity, AttemptRequest request)
    {
        var pause = FirstPauseAfterFailure;
        for (var failures = 0; failures < FailuresBeforeFreshHistory; failures++)
        {
            try
            {
                return await context.CallActivityAsync<T>(activity, request);
            }
            catch (TaskFailedException e)
            {
                var logger = context.CreateReplaySafeLogger<DeliverWebhookOrchestrator>();
                LogAttemptActivityFailed(logger, request.DeliveryId, request.Attempt, e.FailureDetails.ErrorMessage, pause);
                await context.CreateTimer(context.CurrentUtcDateTime + pause, CancellationToken.None);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPauseAfterFailure.Ticks));
            }
        }
        return default;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Delivery {DeliveryId} attempt {Attempt} could not run: {Reason}; it runs again in {Pause}")]
    private static partial void LogAttemptActivityFailed(ILogger logger, string deliveryId, int attempt, string reason, TimeSpan pause);
}
