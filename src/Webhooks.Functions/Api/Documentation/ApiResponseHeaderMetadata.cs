namespace Webhooks.Functions.Api.Documentation;

/// <summary>Endpoint metadata: a header the route sends with answers of <paramref name="StatusCode"/>.</summary>
internal sealed record ApiResponseHeaderMetadata(int StatusCode, string Name, string Description, ApiValueKind Kind);

/// <summary>Endpoint metadata: a query or header parameter the route reads itself, from the request, rather than by binding.</summary>
internal sealed record ApiParameterMetadata(string Name, ApiParameterLocation Location, string Description, ApiValueKind Kind)
{
    public int? Minimum { get; init; }
    public int? Maximum { get; init; }
    public int? MaxLength { get; init; }
    public IReadOnlyList<string>? AllowedValues { get; init; }
}

internal enum ApiParameterLocation
{
    Query,
    Header,
}

/// <summary>The JSON Schema shape of a header or parameter value.</summary>
internal enum ApiValueKind
{
    Text,
    Integer,
    UriReference,
    DateTime,
}
