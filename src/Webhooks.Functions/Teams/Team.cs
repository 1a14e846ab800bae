using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Teams;

/// <summary>
/// A team as the app works with it: secrets decrypted, newest first. <see cref="OperationsWebhookUrl"/> receives the
/// operational events (SPEC §9) and nothing else.
/// </summary>
internal sealed record Team(
    string Id,
    string Name,
    string? DefaultWebhookUrl,
    string? RetryPolicy,
    string? OperationsWebhookUrl,
    IReadOnlyList<SigningSecret> Secrets,
    DateTimeOffset CreatedAt)
{
    public SigningSecret NewestSecret => Secrets[0];

    /// <summary>Whether its webhooks also carry Ed25519 <c>v1a</c> signatures (SPEC §13).</summary>
    public bool AsymmetricSigning { get; init; }

    /// <summary>Its Ed25519 key pairs, newest first; kept while asymmetric signing is off, used only while it is on.</summary>
    public IReadOnlyList<AsymmetricSigningKey> AsymmetricKeys { get; init; } = [];

    /// <summary>Every key of the team, as rotation sees them.</summary>
    public SigningKeyRing KeyRing => new(Secrets, AsymmetricKeys);

    /// <summary>What its webhooks are signed with now.</summary>
    public Delivery.SigningKeys ActiveKeys(DateTimeOffset now) => KeyRing.Active(now, AsymmetricSigning);

    /// <summary>The secrets a webhook is signed with now: the newest, plus any older one still inside its overlap.</summary>
    public IReadOnlyList<SigningSecret> ActiveSecrets(DateTimeOffset now) => Secrets.Where(s => s.IsActive(now)).ToList();
}
