using System.ComponentModel;
using Webhooks.Functions.Api.Documentation;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// <c>POST /v1/endpoints/{id}/enable</c>: how many parked deliveries it started (0 without <c>recover</c>) and the
/// endpoint as it is now.
/// </summary>
internal sealed record EnableEndpointResponse(
    [property: Description("Parked deliveries started again; 0 without recover.")] int Count,
    EndpointResponse Endpoint) : IApiExample<EnableEndpointResponse>
{
    public static EnableEndpointResponse Example => new(12, EndpointResponse.Example);
}
