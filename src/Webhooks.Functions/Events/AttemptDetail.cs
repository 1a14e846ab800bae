using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Events;

/// <summary>One attempt of a delivery, as <c>GET /v1/events/{id}</c> shows it.</summary>
internal sealed record AttemptDetail(
    string Attempt, DateTimeOffset StartedAt, long DurationMs, string Outcome, int? StatusCode, string? ResponseExcerpt, string? Error)
{
    public static AttemptDetail From(AttemptEntity attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return new(attempt.Attempt, attempt.StartedAt, attempt.DurationMs, attempt.Outcome, attempt.StatusCode, attempt.ResponseExcerpt, attempt.Error);
    }
}
