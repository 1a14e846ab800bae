namespace Webhooks.Functions.Delivery;

/// <summary>When the next attempt runs: the policy's delay, jittered, stretched (never shortened) by a Retry-After.</summary>
internal static class RetrySchedule
{
    /// <param name="delays">The delivery's schedule; <c>delays[k-1]</c> precedes attempt k.</param>
    /// <param name="nextAttempt">The 1-based attempt about to be scheduled (2 or more).</param>
    /// <param name="jitter">± fraction, e.g. 0.1.</param>
    /// <param name="random">A uniform sample in [0, 1).</param>
    /// <param name="retryAfter">The receiver's <c>Retry-After</c>, if it sent one with a 429 or 503.</param>
    /// <param name="maxRetryAfter">The longest a Retry-After is honoured.</param>
    public static TimeSpan NextDelay(IReadOnlyList<TimeSpan> delays, int nextAttempt, double jitter, double random, TimeSpan? retryAfter, TimeSpan maxRetryAfter)
    {
        ArgumentNullException.ThrowIfNull(delays);
        ArgumentOutOfRangeException.ThrowIfLessThan(nextAttempt, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nextAttempt, delays.Count);
        var baseDelay = delays[nextAttempt - 1];
        var jittered = TimeSpan.FromTicks((long)(baseDelay.Ticks * (1 + (jitter * ((2 * random) - 1)))));
        if (retryAfter is { } wanted && wanted > jittered)
        {
            return wanted < maxRetryAfter ? wanted : (maxRetryAfter > jittered ? maxRetryAfter : jittered);
        }
        return jittered;
    }

    public static IReadOnlyList<TimeSpan> Parse(string schedule) =>
        RetryPolicies.TryParseSchedule(schedule, out var delays, out var error) ? delays : throw new FormatException(error);
}
