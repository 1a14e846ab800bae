namespace Webhooks.Functions.Api.Documentation;

/// <summary>
/// Endpoint metadata: the JSON body the route reads itself (<see cref="JsonBody"/>), for the OpenAPI document only.
/// Not <c>Accepts&lt;T&gt;()</c>: its metadata makes routing answer another content type with a bare 415 before
/// authentication and before the route's own problem document.
/// </summary>
internal sealed record ApiRequestBodyMetadata(Type BodyType, bool IsOptional);
