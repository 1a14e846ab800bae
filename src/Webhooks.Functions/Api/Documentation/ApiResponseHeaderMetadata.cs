namespace Webhooks.Functions.Api.Documentation;

/// <summary>Endpoint metadata: a header the route sends with answers of <paramref name="StatusCode"/>.</summary>
internal sealed record ApiResponseHeaderMetadata(int StatusCode, string Name, string Description, ApiValueKind Kind);
