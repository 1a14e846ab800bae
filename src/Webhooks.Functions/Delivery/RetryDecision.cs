using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// Where retries are decided: after attempt k of a delivery, whether it has ended and, if not, when attempt k+1 is
/// due. A pure function of its inputs: the jitter is derived from the delivery id and the attempt number, so the
/// decision is the same however often it is computed (an activity re-run, a replay).
/// </summary>
internal static class RetryDecision
{
    /// <summary>The delivery's status after <paramref name="result"/> and, while it is pending, the next attempt's delay.</summary>
    /// <param name="schedule">The delivery's delays; <c>schedule[k-1]</c> precedes attempt k.</param>
    public static (string Status, TimeSpan? NextDelay) After(
        AttemptResult result, int attempt, int maxAttempts, IReadOnlyList<TimeSpan> schedule, string deliveryId, double jitter, TimeSpan maxRetryAfter)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.IsDelivered)
        {
            return (DeliveryStatus.Delivered, null);
        }
        if (result.EndsDelivery || attempt >= maxAttempts || attempt >= schedule.Count)
        {
            return (DeliveryStatus.Failed, null);
        }
        var delay = RetrySchedule.NextDelay(schedule, attempt + 1, jitter, JitterSample(deliveryId, attempt + 1), result.RetryAfter, maxRetryAfter);
        return (DeliveryStatus.Pending, delay);
    }

    /// <summary>A uniform sample in [0, 1) that depends only on the delivery and the attempt.</summary>
    public static double JitterSample(string deliveryId, int attempt)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{deliveryId}/{attempt}"), hash);
        return (BitConverter.ToUInt64(hash) >> 11) * (1.0 / (1UL << 53));
    }
}
