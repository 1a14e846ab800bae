using System.Text;
using NSec.Cryptography;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Tests.Teams;

/// <summary>The rotation rules of a key ring (SPEC §4, §13) and the v1a entries the signer writes, as pure functions.</summary>
public sealed class SigningKeyRingTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Overlap = TimeSpan.FromHours(24);

    [Fact]
    public void Rotate_Asymmetric_NewKeysFirst_PreviousOnesActiveForTheOverlap_ThenDropped()
    {
        var ring = SigningKeyRing.Create(Start, asymmetric: true);
        var rotated = ring.Rotate(Start, Overlap, asymmetric: true);

        Assert.Equal(2, rotated.Secrets.Count);
        Assert.Equal(ring.NewestSecret.Secret, rotated.Secrets[1].Secret);
        Assert.Equal(Start + Overlap, rotated.Secrets[1].ExpiresAt);
        Assert.Equal(ring.AsymmetricKeys[0].PublicKey, rotated.AsymmetricKeys[1].PublicKey);
        Assert.Equal(Start + Overlap, rotated.AsymmetricKeys[1].ExpiresAt);
        Assert.Equal(2, rotated.Active(Start.AddHours(23), asymmetric: true).AsymmetricKeys.Count);
        var after = rotated.Active(Start + Overlap, asymmetric: true);
        Assert.Single(after.Secrets);
        Assert.Single(after.AsymmetricKeys);

        var again = rotated.Rotate(Start + Overlap + TimeSpan.FromSeconds(1), Overlap, asymmetric: true);
        Assert.Equal(2, again.Secrets.Count);
        Assert.Equal(2, again.AsymmetricKeys.Count);
    }

    [Fact]
    public void Rotate_Symmetric_LeavesTheKeyPairsAlone_AndActiveHasNoV1aKeys()
    {
        var ring = SigningKeyRing.Create(Start, asymmetric: false).WithAsymmetricKey(Start);
        var rotated = ring.Rotate(Start, Overlap, asymmetric: false);

        Assert.Equal(ring.AsymmetricKeys, rotated.AsymmetricKeys);
        Assert.Empty(rotated.Active(Start, asymmetric: false).AsymmetricKeys);
        Assert.Same(rotated, rotated.WithAsymmetricKey(Start));
    }

    [Fact]
    public void AsymmetricSignatures_AreEd25519OfIdTimestampAndBody_VerifiedWithTheWhpkKey()
    {
        var key = AsymmetricSigningKey.Create(Start);
        var body = Encoding.UTF8.GetBytes("""{"id":"event_x"}""");
        var header = WebhookSigner.SignatureHeader(new SigningKeys([SigningSecret.Create(Start)], [key]), "event_x", 1700000000, body);

        var entries = header.Split(' ');
        Assert.StartsWith("v1,", entries[0], StringComparison.Ordinal);
        Assert.StartsWith("v1a,", entries[1], StringComparison.Ordinal);
        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, key.PublicKeyBytes(), KeyBlobFormat.RawPublicKey);
        var content = Encoding.UTF8.GetBytes("event_x.1700000000.").Concat(body).ToArray();
        Assert.True(SignatureAlgorithm.Ed25519.Verify(publicKey, content, Convert.FromBase64String(entries[1]["v1a,".Length..])));
        Assert.False(SignatureAlgorithm.Ed25519.Verify(publicKey, [.. content, 0], Convert.FromBase64String(entries[1]["v1a,".Length..])));
        Assert.Equal(32, Convert.FromBase64String(key.SecretKey["whsk_".Length..]).Length);
    }
}
