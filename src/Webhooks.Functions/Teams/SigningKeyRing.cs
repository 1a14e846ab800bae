using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Teams;

/// <summary>
/// Every signing key of one owner (a team or an endpoint), newest first: its HMAC secrets (§4) and, once asymmetric
/// signing was turned on, its Ed25519 key pairs (§13). Rotation adds a new newest key and keeps the previous one active
/// for the overlap; expired keys are dropped at the next rotation.
/// </summary>
internal sealed record SigningKeyRing(IReadOnlyList<SigningSecret> Secrets, IReadOnlyList<AsymmetricSigningKey> AsymmetricKeys)
{
    public static SigningKeyRing Create(DateTimeOffset now, bool asymmetric) =>
        new([SigningSecret.Create(now)], asymmetric ? [AsymmetricSigningKey.Create(now)] : []);

    public SigningSecret NewestSecret => Secrets[0];

    /// <summary>
    /// A new newest secret (and key pair, when <paramref name="asymmetric"/>); the previous ones sign on until
    /// now + <paramref name="overlap"/>.
    /// </summary>
    public SigningKeyRing Rotate(DateTimeOffset now, TimeSpan overlap, bool asymmetric)
    {
        var secrets = Retire(Secrets, now, overlap, s => s.ExpiresAt, (s, at) => s with { ExpiresAt = at });
        var keys = asymmetric
            ? Retire(AsymmetricKeys, now, overlap, k => k.ExpiresAt, (k, at) => k with { ExpiresAt = at })
            : AsymmetricKeys;
        return new([SigningSecret.Create(now), .. secrets], asymmetric ? [AsymmetricSigningKey.Create(now), .. keys] : keys);
    }

    /// <summary>With a key pair to sign with when asymmetric signing is turned on: the newest active one, else a new one.</summary>
    public SigningKeyRing WithAsymmetricKey(DateTimeOffset now) =>
        AsymmetricKeys.Any(k => k.IsActive(now)) ? this : this with { AsymmetricKeys = [AsymmetricSigningKey.Create(now), .. AsymmetricKeys] };

    /// <summary>The Ed25519 keys that sign now, newest first; none while asymmetric signing is off.</summary>
    public IReadOnlyList<AsymmetricSigningKey> ActiveAsymmetricKeys(DateTimeOffset now, bool asymmetric) =>
        asymmetric ? AsymmetricKeys.Where(k => k.IsActive(now)).ToList() : [];

    /// <summary>What a delivery is signed with now.</summary>
    public SigningKeys Active(DateTimeOffset now, bool asymmetric) =>
        new(Secrets.Where(s => s.IsActive(now)).ToList(), ActiveAsymmetricKeys(now, asymmetric));

    private static List<T> Retire<T>(IReadOnlyList<T> keys, DateTimeOffset now, TimeSpan overlap, Func<T, DateTimeOffset?> expiry, Func<T, DateTimeOffset, T> expire)
    {
        var kept = new List<T>();
        for (var i = 0; i < keys.Count; i++)
        {
            if (i == 0)
            {
                kept.Add(expire(keys[0], now + overlap));
            }
            else if (expiry(keys[i]) is not { } at || at > now)
            {
                kept.Add(keys[i]);
            }
        }
        return kept;
    }
}
