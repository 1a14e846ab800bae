namespace Webhooks.Functions.Delivery;

/// <summary>
/// What one attempt is signed with: the active HMAC secrets, newest first (<c>v1</c> entries and the hex signature of
/// the newest), and the active Ed25519 keys (<c>v1a</c> entries), none unless asymmetric signing is on.
/// </summary>
internal sealed record SigningKeys(IReadOnlyList<SigningSecret> Secrets, IReadOnlyList<AsymmetricSigningKey> AsymmetricKeys)
{
    public static SigningKeys Symmetric(IReadOnlyList<SigningSecret> secrets) => new(secrets, []);
}
