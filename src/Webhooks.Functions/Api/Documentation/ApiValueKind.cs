namespace Webhooks.Functions.Api.Documentation;

/// <summary>The JSON Schema shape of a documented header or parameter value.</summary>
internal enum ApiValueKind
{
    Text,
    Integer,
    UriReference,
    DateTime,
}
