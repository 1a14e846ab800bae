using System.ComponentModel;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Teams;

/// <summary>
/// <c>GET /v1/team/public-keys</c> and <c>GET /v1/endpoints/{id}/public-keys</c> (SPEC §13): the Ed25519 public keys
/// whose <c>v1a</c> signatures a webhook carries now, newest first; empty while asymmetric signing is off.
/// </summary>
internal sealed record PublicKeysResponse(IReadOnlyList<PublicKeyResponse> Data) : IApiExample<PublicKeysResponse>
{
    public static PublicKeysResponse Example => new(
    [
        new PublicKeyResponse("whpk_5ROmnYte1ENFxlGtjZV9OmdlDxFnfKrSaqilk5cBM5A=",
            new JsonWebKeyResponse("OKP", "Ed25519", "5ROmnYte1ENFxlGtjZV9OmdlDxFnfKrSaqilk5cBM5A", "zPPzu4IRFRpZIQdeXaQav6I8aVEkB5n8buiqxP63V9E"), null),
        new PublicKeyResponse("whpk_hgUUaX8IU9zrzzM1xWLkG/Oo7UPBm6EOjMSikMDZa0o=",
            new JsonWebKeyResponse("OKP", "Ed25519", "hgUUaX8IU9zrzzM1xWLkG_Oo7UPBm6EOjMSikMDZa0o", "wtlKIhRRFhGPtyyVuzQObir9bKH9y1jTSRhkwz-rFyo"),
            ApiExamples.CreatedAt.AddDays(1)),
    ]);

    public static PublicKeysResponse From(IEnumerable<AsymmetricSigningKey> activeKeys) =>
        new(activeKeys.Select((k, i) => PublicKeyResponse.From(k, newest: i == 0)).ToList());
}

internal sealed record PublicKeyResponse(
    [property: Description("`whpk_` + base64 of the 32-byte Ed25519 public key (Standard Webhooks).")] string PublicKey,
    [property: Description("The same key as a JWK (RFC 8037); kid is its RFC 7638 thumbprint.")] JsonWebKeyResponse Jwk,
    [property: Description("When it stops signing (the end of a rotation's overlap); null for the newest.")] DateTimeOffset? ExpiresAt)
{
    public static PublicKeyResponse From(AsymmetricSigningKey key, bool newest)
    {
        ArgumentNullException.ThrowIfNull(key);
        var x = AsymmetricSigningKey.Base64Url(key.PublicKeyBytes());
        return new(key.PublicKey, new JsonWebKeyResponse("OKP", "Ed25519", x, key.KeyId()), newest ? null : key.ExpiresAt);
    }
}

internal sealed record JsonWebKeyResponse(
    [property: Description("Always `OKP`.")] string Kty,
    [property: Description("Always `Ed25519`.")] string Crv,
    [property: Description("The public key, base64url without padding.")] string X,
    [property: Description("The RFC 7638 JWK thumbprint (SHA-256, base64url) of the key.")] string Kid);
