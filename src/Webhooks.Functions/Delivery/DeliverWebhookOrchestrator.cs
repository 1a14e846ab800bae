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
/// </summary>
internal sealed class DeliverWebhookOrchestrator : TaskOrchestrator<DeliveryInput, string>
{
    public const string Name = "DeliverWebhook";

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
            report = await context.CallActivityAsync<AttemptReport>(
                DeliveryAttemptActivity.Name, new AttemptRequest(input.Partition, input.DeliveryId, attempt));
            context.SetCustomStatus(report.Attempt);
            if (report.HasEnded)
            {
                return report.Status;
            }
            attempt = report.NextAttempt;
            var due = report.NextAttemptAt!.Value.UtcDateTime;
            // A queue's visibility delay has whole seconds, so the Azure Storage backend can fire a timer up to a second
            // early; waiting again until the orchestration's own clock has passed the due time keeps Retry-After honest.
            while (context.CurrentUtcDateTime < due)
            {
                await context.CreateTimer(due, CancellationToken.None);
            }
        }
        return report.Status;
    }
}
