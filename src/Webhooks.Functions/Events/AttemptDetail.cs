using System.ComponentModel.DataAnnotations;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Events;

/// <summary>One attempt of a delivery, as <c>GET /v1/events/{id}</c> shows it.</summary>
internal sealed record AttemptDetail(
    string Attempt,
    DateTimeOffset StartedAt,
    long DurationMs,
    [property: AllowedValues(AttemptOutcome.Delivered, AttemptOutcome.HttpError, AttemptOutcome.Redirect, AttemptOutcome.Timeout,
        AttemptOutcome.ConnectionError, AttemptOutcome.Blocked, AttemptOutcome.Gone)]
    string Outcome,
    int? StatusCode,
    string? ResponseExcerpt,
    string? Error) : IApiExample<AttemptDetail>
{
    public static AttemptDetail Example => new("1/5", ApiExamples.CompletedAt, 112, AttemptOutcome.HttpError, 500, "Internal Server Error", null);

    public static AttemptDetail From(AttemptEntity attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return new(attempt.Attempt, attempt.StartedAt, attempt.DurationMs, attempt.Outcome, attempt.StatusCode, attempt.ResponseExcerpt, attempt.Error);
    }
}
