namespace Webhooks.Functions.Delivery;

/// <summary>A named schedule: <see cref="Delays"/>[k-1] is the wait before attempt k (the first is normally zero).</summary>
internal sealed record RetryPolicy(string Name, IReadOnlyList<TimeSpan> Delays)
{
    public int MaxAttempts => Delays.Count;

    /// <summary>The text form used in configuration and stored on each delivery, e.g. <c>0s,2m,4m</c>.</summary>
    public string ScheduleText => string.Join(',', Delays.Select(RetryPolicies.FormatDelay));
}
