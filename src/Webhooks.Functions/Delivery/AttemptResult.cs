namespace Webhooks.Functions.Delivery;

/// <summary>What one HTTP POST of a delivery came to.</summary>
internal sealed record AttemptResult(
    string Outcome,
    int? StatusCode,
    string? ResponseExcerpt,
    string? Error,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    TimeSpan? RetryAfter)
{
    public bool IsDelivered => Outcome == AttemptOutcome.Delivered;

    /// <summary>A <c>410 Gone</c> ends the delivery at once; every other failure is retried.</summary>
    public bool EndsDelivery => Outcome is AttemptOutcome.Delivered or AttemptOutcome.Gone;
}
