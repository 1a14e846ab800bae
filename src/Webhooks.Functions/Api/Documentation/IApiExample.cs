namespace Webhooks.Functions.Api.Documentation;

/// <summary>
/// A request or response type that shows itself in the OpenAPI document: <see cref="ApiSchemaDocumentation"/> writes
/// <see cref="Example"/> as the schema's example, serialized with the API's own JSON conventions, so the example
/// cannot disagree with what the API sends.
/// </summary>
internal interface IApiExample<TSelf> where TSelf : IApiExample<TSelf>
{
    static abstract TSelf Example { get; }
}
