namespace Webhooks.Functions.Events;

/// <summary><c>POST /v1/webhooks/test</c>: the outcome of the one ping attempt.</summary>
internal sealed record PingResponse(
    string EventId, string DeliveryId, string Outcome, int? StatusCode, long DurationMs, string? Error, string? ResponseExcerpt);
