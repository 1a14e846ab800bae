using System.ComponentModel;

namespace Webhooks.Functions.Endpoints;

/// <summary>The <c>oauth2</c> of the endpoint object: the client, without its secret.</summary>
internal sealed record EndpointOAuth2Response(
    [property: Description("Where tokens are fetched (RFC 6749 §4.4, client credentials).")] string TokenUrl,
    string ClientId,
    [property: Description("The scope asked for; null asks for none.")] string? Scope,
    [property: Description("Always true: the client secret is stored, encrypted, and never shown.")] bool ClientSecretSet);
