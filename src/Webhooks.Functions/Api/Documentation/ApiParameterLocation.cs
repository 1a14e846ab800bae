namespace Webhooks.Functions.Api.Documentation;

/// <summary>Where an <see cref="ApiParameterMetadata"/> is read from.</summary>
internal enum ApiParameterLocation
{
    Query,
    Header,
}
