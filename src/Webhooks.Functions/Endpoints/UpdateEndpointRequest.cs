using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// The body of <c>PATCH /v1/endpoints/{id}</c> as the OpenAPI document shows it: send at least one field; a field left
/// out keeps its value, and description, event_types or rate_limit_per_s sent as null is cleared. <c>status</c> is not
/// changed here: <c>POST /v1/endpoints/{id}/enable</c> enables a disabled endpoint.
/// </summary>
internal sealed record UpdateEndpointRequest(
    [property: Url, StringLength(WebhookUrlRules.MaxLength), Description("A new URL; it cannot be cleared.")]
    string? Url = null,
    [property: StringLength(EndpointRules.MaxDescriptionLength), Description("A new description; null clears it.")]
    string? Description = null,
    [property: MinLength(1), Description("The event types it receives from now on; null receives every type.")]
    IReadOnlyList<string>? EventTypes = null,
    [property: Range(EndpointRules.MinRateLimitPerSecond, EndpointRules.MaxRateLimitPerSecond), Description("A new cap in attempts per second; null is unlimited.")]
    int? RateLimitPerS = null,
    [property: Description("Turns Ed25519 `v1a` signatures on or off; turning them on makes a key pair unless it has one.")]
    bool? AsymmetricSigning = null) : IApiExample<UpdateEndpointRequest>
{
    [MaxLength(EndpointHeaderRules.MaxHeaders), Description("Replaces every custom header; null or {} removes them.")]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("oauth2")]
    [Description("Replaces the OAuth 2.0 client whole; client_secret may be left out to keep the stored one. Null removes it.")]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public OAuth2Request? OAuth2 { get; init; }

    [Description("Replaces the client certificate; null removes it.")]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ClientCertificateRequest? ClientCertificate { get; init; }

    public static UpdateEndpointRequest Example => new(Description: "Order system (new region)", RateLimitPerS: 100);
}
