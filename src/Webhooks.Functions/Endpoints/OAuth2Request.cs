using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Endpoints;

/// <summary>The <c>oauth2</c> of a create or PATCH body as the OpenAPI document shows it.</summary>
internal sealed record OAuth2Request(
    [property: Required, Url, StringLength(WebhookUrlRules.MaxLength), Description("The token endpoint: the same rules as a webhook URL, and the SSRF guard.")]
    string TokenUrl,
    [property: Required, StringLength(EndpointAuthChanges.MaxClientIdLength)] string ClientId,
    [property: StringLength(EndpointAuthChanges.MaxClientSecretLength),
        Description("Write-only. Required when the endpoint has no OAuth 2.0 client yet; left out of a PATCH, the stored secret is kept.")]
    string? ClientSecret = null,
    [property: StringLength(EndpointAuthChanges.MaxScopeLength), Description("Sent as the token request's scope; null or left out sends none.")]
    string? Scope = null);
