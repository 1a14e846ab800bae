using System.Text;
using Microsoft.Extensions.Time.Testing;
using NSec.Cryptography;

namespace Webhooks.Receiver.Tests.Verification;

/// <summary>
/// Standard Webhooks <c>v1a</c> (Ed25519) verification given <c>whpk_</c> public keys, alone or beside <c>whsec_</c>
/// secrets. The fixed vector was signed by Node's built-in crypto (seed of 32 bytes of 7), not by this library.
/// </summary>
public sealed class AsymmetricVerifierTests
{
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string VectorTimestamp = "1614265330";
    private const string VectorPayload = """{"test": 2432232314}""";
    private const string VectorPublicKey = "whpk_6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=";
    private const string VectorSignature = "v1a,2iFnCkcL0nCB7d0lgaT5vmGnQgJl4zcl9qd7UbPYvulcwR3MRYzjXT2JCSEV4dFH3XNALA4OW0zY5fFdGv9GBA==";
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorHmac = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static readonly FakeTimeProvider VectorTime = new(DateTimeOffset.FromUnixTimeSeconds(1614265330));

    [Fact]
    public void Verify_NodeSignedV1aWithItsPublicKey_IsValid()
    {
        var verifier = new WebhookVerifier([], [VectorPublicKey], VectorTime);

        var result = verifier.Verify(Headers(VectorSignature), Encoding.UTF8.GetBytes(VectorPayload));

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(WebhookSignatureScheme.StandardWebhooks, result.Scheme);
    }

    [Fact]
    public void Verify_PublicKeyListedAmongSecrets_IsTakenAsAPublicKey()
    {
        var verifier = new WebhookVerifier([VectorPublicKey], VectorTime);

        Assert.True(verifier.Verify(Headers(VectorSignature), Encoding.UTF8.GetBytes(VectorPayload)).IsValid);
    }

    [Fact]
    public void Verify_V1aWithAnotherKey_OrATamperedBody_IsInvalidSignature()
    {
        var other = new WebhookVerifier([], [NewKeyPair().PublicKey], VectorTime);
        var right = new WebhookVerifier([], [VectorPublicKey], VectorTime);

        Assert.Equal(WebhookVerificationFailure.InvalidSignature, other.Verify(Headers(VectorSignature), Encoding.UTF8.GetBytes(VectorPayload)).Failure);
        Assert.Equal(WebhookVerificationFailure.InvalidSignature, right.Verify(Headers(VectorSignature), Encoding.UTF8.GetBytes(VectorPayload + " ")).Failure);
    }

    [Theory]
    [InlineData("v1a,2iFnCkcL0nCB7d0l")]
    [InlineData("v1a,")]
    [InlineData("v1a,not base64 at all")]
    [InlineData(VectorHmac)]
    public void Verify_MalformedOrOnlyV1Entries_WithOnlyAPublicKey_IsInvalidSignature(string signature)
    {
        var verifier = new WebhookVerifier([], [VectorPublicKey], VectorTime);

        Assert.Equal(WebhookVerificationFailure.InvalidSignature, verifier.Verify(Headers(signature), Encoding.UTF8.GetBytes(VectorPayload)).Failure);
    }

    [Fact]
    public void Verify_RotationHeader_EitherOfTwoSecretsOrEitherOfTwoKeys_IsValid()
    {
        var (newKey, newSecretKey) = NewKeyPair();
        var content = Encoding.UTF8.GetBytes($"{VectorId}.{VectorTimestamp}.{VectorPayload}");
        var newSignature = "v1a," + Convert.ToBase64String(SignatureAlgorithm.Ed25519.Sign(newSecretKey, content));
        var header = string.Join(' ', VectorHmac, "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", newSignature, VectorSignature);
        var body = Encoding.UTF8.GetBytes(VectorPayload);

        Assert.True(new WebhookVerifier([VectorSecret], VectorTime).Verify(Headers(header), body).IsValid);
        Assert.True(new WebhookVerifier([], [VectorPublicKey], VectorTime).Verify(Headers(header), body).IsValid);
        Assert.True(new WebhookVerifier([], [newKey], VectorTime).Verify(Headers(header), body).IsValid);
        Assert.True(new WebhookVerifier(["whsec_" + Convert.ToBase64String(new byte[32]), newKey], VectorTime).Verify(Headers(header), body).IsValid);
        Assert.False(new WebhookVerifier(["whsec_" + Convert.ToBase64String(new byte[32])], VectorTime).Verify(Headers(header), body).IsValid);
        newSecretKey.Dispose();
    }

    [Theory]
    [InlineData("whpk_")]
    [InlineData("whpk_AAAA")]
    [InlineData("whpk_6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iwAAAA=")]
    [InlineData("6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=")]
    public void Create_MalformedPublicKey_Throws(string publicKey) =>
        Assert.Throws<ArgumentException>(() => new WebhookVerifier([], [publicKey], VectorTime));

    [Fact]
    public void Create_NoSecretAndNoPublicKey_Throws() =>
        Assert.Throws<ArgumentException>(() => new WebhookVerifier([], [], VectorTime));

    private static (string PublicKey, Key SecretKey) NewKeyPair()
    {
        var key = Key.Create(SignatureAlgorithm.Ed25519);
        return ("whpk_" + Convert.ToBase64String(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)), key);
    }

    private static WebhookSignatureHeaders Headers(string signature) => new()
    {
        WebhookId = VectorId,
        WebhookTimestamp = VectorTimestamp,
        WebhookSignature = signature,
    };
}
