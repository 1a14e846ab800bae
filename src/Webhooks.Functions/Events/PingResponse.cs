using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Events;

/// <summary><c>POST /v1/webhooks/test</c>: the outcome of the one ping attempt.</summary>
internal sealed record PingResponse(
    string EventId, string DeliveryId, string Outcome, int? StatusCode, long DurationMs, string? Error, string? ResponseExcerpt)
    : IApiExample<PingResponse>
{
    public static PingResponse Example => new(ApiExamples.EventId, ApiExamples.DeliveryId, AttemptOutcome.Delivered, 200, 48, null, "ok");
}
