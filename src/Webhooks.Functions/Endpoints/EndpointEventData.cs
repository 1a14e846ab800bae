using System.Xml;
using Webhooks.Functions.Api.Documentation;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// The <c>data</c> of <c>event.endpoint.failing</c> and <c>event.endpoint.disabled</c>: the endpoint and its health. The
/// envelope carries no floating-point numbers (SPEC §4), so the health here has counts and no ratio.
/// </summary>
internal sealed record EndpointEventData(EndpointResponse Endpoint, EndpointHealthSummary Health) : IApiExample<EndpointEventData>
{
    public static EndpointEventData Example => new(
        EndpointResponse.Example with { Status = EndpointStatus.Disabled, DisabledReason = "20 of 20 attempts failed within P1D, none succeeded" },
        new EndpointHealthSummary("P1D", 20, 20, null, ApiExamples.CompletedAt));

    public static EndpointEventData From(EndpointEntity endpoint, EndpointHealthReport health)
    {
        ArgumentNullException.ThrowIfNull(health);
        return new(EndpointResponse.From(endpoint),
            new EndpointHealthSummary(XmlConvert.ToString(health.Window), health.Attempts, health.Failures, health.LastSuccessAt, health.LastFailureAt));
    }
}

/// <param name="Window">ISO 8601 duration, e.g. <c>P1D</c>.</param>
internal sealed record EndpointHealthSummary(string Window, long Attempts, long Failures, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastFailureAt);
