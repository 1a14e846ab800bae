using System.Text;

namespace Webhooks.Receiver.Tests.Signing;

public sealed class WebhookSignaturesTests
{
    // Published Standard Webhooks test vector (the libraries' "sign function works" case).
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorPayload = """{"test": 2432232314}""";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void ComputeStandardSignature_StandardWebhooksVector_MatchesPublishedSignature()
    {
        var signature = WebhookSignatures.ComputeStandardSignature(VectorSecret, VectorId, VectorTimestamp, VectorPayload);

        Assert.Equal(VectorSignature, signature);
    }

    [Fact]
    public void ComputeStandardSignature_SecretWithoutPrefix_MatchesPrefixedSecret()
    {
        var signature = WebhookSignatures.ComputeStandardSignature(
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", VectorId, VectorTimestamp, Encoding.UTF8.GetBytes(VectorPayload));

        Assert.Equal(VectorSignature, signature);
    }

    [Fact]
    public void ComputeHmacSha256Hex_GitHubDocumentationExample_MatchesPublishedDigest()
    {
        var hex = WebhookSignatures.ComputeHmacSha256Hex(
            Encoding.UTF8.GetBytes("It's a Secret to Everybody"), Encoding.UTF8.GetBytes("Hello, World!"));

        Assert.Equal("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", hex);
    }

    [Fact]
    public void ComputeHexSignature_AnySecret_IsHmacOfTimestampDotBodyKeyedWithWholeSecretString()
    {
        const string body = """{"id":"event_a1b2c3d4e5f6g7h8"}""";

        var hex = WebhookSignatures.ComputeHexSignature(VectorSecret, VectorTimestamp, body);

        var expected = WebhookSignatures.ComputeHmacSha256Hex(
            Encoding.UTF8.GetBytes(VectorSecret), Encoding.UTF8.GetBytes($"{VectorTimestamp}.{body}"));
        Assert.Equal(expected, hex);
        Assert.Matches("^[0-9a-f]{64}$", hex);
    }

    [Fact]
    public void ComputeHexSignature_DifferentTimestamp_ChangesSignature()
    {
        var first = WebhookSignatures.ComputeHexSignature(VectorSecret, VectorTimestamp, VectorPayload);
        var second = WebhookSignatures.ComputeHexSignature(VectorSecret, VectorTimestamp + 1, VectorPayload);

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("")]
    [InlineData("whsec_")]
    [InlineData("whsec_not base64!")]
    public void DecodeStandardSecret_InvalidSecret_ThrowsArgumentException(string secret)
    {
        Assert.ThrowsAny<ArgumentException>(() => WebhookSignatures.DecodeStandardSecret(secret));
    }

    [Fact]
    public void DecodeStandardSecret_PrefixedSecret_ReturnsKeyBytes()
    {
        var key = WebhookSignatures.DecodeStandardSecret("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");

        Assert.Equal(Enumerable.Range(0, 32).Select(i => (byte)i), key);
    }
}
