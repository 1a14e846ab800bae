namespace Webhooks.Functions.Endpoints;

/// <summary>An endpoint's attempts over the health window (SPEC §9), as <c>GET /v1/endpoints/{id}/health</c> shows them.</summary>
/// <param name="Window">The window's length.</param>
/// <param name="FailureRatio">Failures / attempts; 0 with no attempts.</param>
internal sealed record EndpointHealthReport(
    TimeSpan Window, long Attempts, long Failures, double FailureRatio, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastFailureAt);
