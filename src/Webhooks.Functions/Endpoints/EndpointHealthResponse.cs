using System.ComponentModel;
using System.Xml;
using Webhooks.Functions.Api.Documentation;

namespace Webhooks.Functions.Endpoints;

/// <summary><c>GET /v1/endpoints/{id}/health</c>: the endpoint's attempts over the health window (SPEC §9).</summary>
internal sealed record EndpointHealthResponse(
    [property: Description("The window's length as an ISO 8601 duration, e.g. P1D for 24 hours.")] string Window,
    long Attempts,
    long Failures,
    [property: Description("failures / attempts, from 0 to 1; 0 with no attempts.")] double FailureRatio,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastFailureAt) : IApiExample<EndpointHealthResponse>
{
    public static EndpointHealthResponse Example => new("P1D", 40, 6, 0.15, ApiExamples.CompletedAt, ApiExamples.CreatedAt);

    public static EndpointHealthResponse From(EndpointHealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(XmlConvert.ToString(report.Window), report.Attempts, report.Failures, report.FailureRatio, report.LastSuccessAt, report.LastFailureAt);
    }
}
