using System.ComponentModel;

namespace Webhooks.Functions.Endpoints;

/// <summary>A page of a team's endpoints, oldest first; <c>next_cursor</c> is null on the last page.</summary>
internal sealed record EndpointsPage(IReadOnlyList<EndpointResponse> Data, [property: Description("The cursor of the next page; null on the last page.")] string? NextCursor);
