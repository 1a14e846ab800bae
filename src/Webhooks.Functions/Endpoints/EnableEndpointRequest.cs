using System.ComponentModel;
using Webhooks.Functions.Api.Documentation;

namespace Webhooks.Functions.Endpoints;

/// <summary>The optional body of <c>POST /v1/endpoints/{id}/enable</c>; <see cref="EndpointsApi"/> validates the JSON itself.</summary>
internal sealed record EnableEndpointRequest(
    [property: Description("Also start every delivery parked while the endpoint was disabled. False when omitted.")] bool Recover = false)
    : IApiExample<EnableEndpointRequest>
{
    public static EnableEndpointRequest Example => new(true);
}
