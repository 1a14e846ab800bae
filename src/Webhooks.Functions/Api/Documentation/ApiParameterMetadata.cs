namespace Webhooks.Functions.Api.Documentation;

/// <summary>Endpoint metadata: a query or header parameter the route reads itself, from the request, rather than by binding.</summary>
internal sealed record ApiParameterMetadata(string Name, ApiParameterLocation Location, string Description, ApiValueKind Kind)
{
    public int? Minimum { get; init; }
    public int? Maximum { get; init; }
    public int? MaxLength { get; init; }
    public IReadOnlyList<string>? AllowedValues { get; init; }
}
