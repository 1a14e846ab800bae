using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Receiver.Tests.Support;

namespace Webhooks.Receiver.Tests.Verification;

public sealed class WebhookVerifierTests
{
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string VectorPayload = """{"test": 2432232314}""";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private const string ForeignSignature = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
    private static readonly DateTimeOffset VectorTime = DateTimeOffset.FromUnixTimeSeconds(1614265330);
    private static readonly DateTimeOffset Now = new(2025, 1, 22, 18, 20, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);

    [Fact]
    public void Verify_StandardWebhooksVector_IsValid()
    {
        var verifier = new WebhookVerifier([VectorSecret], new FakeTimeProvider(VectorTime));

        var result = verifier.Verify(VectorHeaders(VectorSignature), Encoding.UTF8.GetBytes(VectorPayload));

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(WebhookSignatureScheme.StandardWebhooks, result.Scheme);
        Assert.Equal(VectorId, result.WebhookId);
        Assert.Equal(VectorTime, result.Timestamp);
    }

    [Fact]
    public void Verify_StandardWebhooksMultiSignatureVector_IsValid()
    {
        var verifier = new WebhookVerifier([VectorSecret], new FakeTimeProvider(VectorTime));
        var header = string.Join(' ', ForeignSignature, "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", VectorSignature, ForeignSignature);

        var result = verifier.Verify(VectorHeaders(header), Encoding.UTF8.GetBytes(VectorPayload));

        Assert.True(result.IsValid, result.Message);
    }

    [Theory]
    [InlineData(ForeignSignature)]
    [InlineData("v1,dawfeoifkpqwoekfpqoekf")]
    [InlineData("v1,g0hM9SsE")]
    [InlineData("v1,")]
    [InlineData("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    public void Verify_StandardWebhooksInvalidOrPartialSignature_IsInvalidSignature(string signature)
    {
        var verifier = new WebhookVerifier([VectorSecret], new FakeTimeProvider(VectorTime));

        var result = verifier.Verify(VectorHeaders(signature), Encoding.UTF8.GetBytes(VectorPayload));

        Assert.Equal(WebhookVerificationFailure.InvalidSignature, result.Failure);
    }

    [Fact]
    public void Verify_SenderDelivery_IsValidWithBothSchemes()
    {
        var delivery = Delivery(Now, TestSecrets.Current);
        var verifier = new WebhookVerifier([TestSecrets.Current], _time);

        var standard = verifier.Verify(delivery.SignatureHeaders, delivery.BodyBytes);
        var hexOnly = verifier.Verify(
            delivery.Without(WebhookHeaders.Signature).SignatureHeaders, delivery.BodyBytes);

        Assert.True(standard.IsValid, standard.Message);
        Assert.Equal(WebhookSignatureScheme.StandardWebhooks, standard.Scheme);
        Assert.True(hexOnly.IsValid, hexOnly.Message);
        Assert.Equal(WebhookSignatureScheme.Hex, hexOnly.Scheme);
    }

    [Fact]
    public void Verify_TamperedBody_IsInvalidSignatureForBothSchemes()
    {
        var delivery = Delivery(Now, TestSecrets.Current);
        var verifier = new WebhookVerifier([TestSecrets.Current], _time);
        var tampered = Encoding.UTF8.GetBytes(delivery.Body.Replace("\"items_failed\":1", "\"items_failed\":0", StringComparison.Ordinal));

        var standard = verifier.Verify(delivery.SignatureHeaders, tampered);
        var hexOnly = verifier.Verify(delivery.Without(WebhookHeaders.Signature).SignatureHeaders, tampered);

        Assert.Equal(WebhookVerificationFailure.InvalidSignature, standard.Failure);
        Assert.Equal(WebhookVerificationFailure.InvalidSignature, hexOnly.Failure);
    }

    [Fact]
    public void Verify_ChangedWebhookId_IsInvalidSignature()
    {
        var delivery = Delivery(Now, TestSecrets.Current).WithHeader(WebhookHeaders.Id, "event_0000000000000000");
        var verifier = new WebhookVerifier([TestSecrets.Current], _time);

        var result = verifier.Verify(delivery.SignatureHeaders, delivery.BodyBytes);

        Assert.Equal(WebhookVerificationFailure.InvalidSignature, result.Failure);
    }

    [Fact]
    public void Verify_WrongSecret_IsInvalidSignatureForBothSchemes()
    {
        var delivery = Delivery(Now, TestSecrets.Current);
        var verifier = new WebhookVerifier([TestSecrets.Unrelated], _time);

        var standard = verifier.Verify(delivery.SignatureHeaders, delivery.BodyBytes);
        var hexOnly = verifier.Verify(delivery.Without(WebhookHeaders.Signature).SignatureHeaders, delivery.BodyBytes);

        Assert.Equal(WebhookVerificationFailure.InvalidSignature, standard.Failure);
        Assert.Equal(WebhookVerificationFailure.InvalidSignature, hexOnly.Failure);
    }

    [Fact]
    public void Verify_WrongStandardSignatureButValidHex_IsInvalidSignature()
    {
        var delivery = Delivery(Now, TestSecrets.Current).WithHeader(WebhookHeaders.Signature, ForeignSignature);
        var verifier = new WebhookVerifier([TestSecrets.Current], _time);

        var result = verifier.Verify(delivery.SignatureHeaders, delivery.BodyBytes);

        Assert.Equal(WebhookVerificationFailure.InvalidSignature, result.Failure);
        Assert.Equal(WebhookSignatureScheme.StandardWebhooks, result.Scheme);
    }

    [Theory]
    [InlineData(WebhookHeaders.Id)]
    [InlineData(WebhookHeaders.Timestamp)]
    public void Verify_StandardHeaderMissing_IsMissingHeaderNamingIt(string header)
    {
        var delivery = Delivery(Now, TestSecrets.Current).Without(header);
        var verifier = new WebhookVerifier([TestSecrets.Current], _time);

        var result = verifier.Verify(delivery.SignatureHeaders, delivery.BodyBytes);

        Assert.Equal(WebhookVerificationFailure.MissingHeader, result.Failure);
        Assert.Contains(header, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_HexTimestampMissing_IsMissingHeader()
    {
        var delivery = Delivery(Now, TestSecrets.Current).Without(WebhookHeaders.Signature, WebhookHeaders.HexTimestamp);
        var verifier = new WebhookVerifier([TestSecrets.Current], _time);

        var result = verifier.Verify(delivery.SignatureHeaders, delivery.BodyBytes);

        Assert.Equal(WebhookVerificationFailure.MissingHeader, result.Failure);
        Assert.Contains(WebhookHeaders.HexTimestamp, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_NoSignatureHeaders_IsMissingHeader()
    {
        var delivery = Delivery(Now, TestSecrets.Current).Without(WebhookHeaders.Signature, WebhookHeaders.HexSignature);
        var verifier = new WebhookVerifier([TestSecrets.Current], _time);

        var result = verifier.Verify(delivery.SignatureHeaders, delivery.BodyBytes);

        Assert.False(result.IsValid);
        Assert.Equal(WebhookVerificationFailure.MissingHeader, result.Failure);
    }

    [Fact]
    public void Verify_HexOnlyWhenHexSchemeDisabled_IsMissingHeader()
    {
        var delivery = Delivery(Now, TestSecrets.Current).Without(WebhookHeaders.Signature);
        var verifier = new WebhookVerifier([TestSecrets.Current], _time) { AcceptHexSignatures = false };

        var result = verifier.Verify(delivery.SignatureHeaders, delivery.BodyBytes);

        Assert.Equal(WebhookVerificationFailure.MissingHeader, result.Failure);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("-1614265330")]
    [InlineData("1614265330.5")]
    [InlineData("99999999999999999999")]
    public void Verify_TimestampNotUnixSeconds_IsMalformedHeader(string timestamp)
    {
        var delivery = Delivery(Now, TestSecrets.Current).WithHeader(WebhookHeaders.Timestamp, timestamp);
        var verifier = new WebhookVerifier([TestSecrets.Current], _time);

        var result = verifier.Verify(delivery.SignatureHeaders, delivery.BodyBytes);

        Assert.Equal(WebhookVerificationFailure.MalformedHeader, result.Failure);
    }

    [Fact]
    public void Verify_TimestampOlderThanTolerance_IsTimestampTooOldForBothSchemes()
    {
        var delivery = Delivery(Now, TestSecrets.Current);
        var verifier = new WebhookVerifier([TestSecrets.Current], _time);
        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        var standard = verifier.Verify(delivery.SignatureHeaders, delivery.BodyBytes);
        var hexOnly = verifier.Verify(delivery.Without(WebhookHeaders.Signature).SignatureHeaders, delivery.BodyBytes);

        Assert.Equal(WebhookVerificationFailure.TimestampTooOld, standard.Failure);
        Assert.Equal(WebhookVerificationFailure.TimestampTooOld, hexOnly.Failure);
    }

    [Fact]
    public void Verify_TimestampExactlyAtTolerance_IsValid()
    {
        var delivery = Delivery(Now, TestSecrets.Current);
        var verifier = new WebhookVerifier([TestSecrets.Current], _time);
        _time.Advance(TimeSpan.FromMinutes(5));

        var result = verifier.Verify(delivery.SignatureHeaders, delivery.BodyBytes);

        Assert.True(result.IsValid, result.Message);
    }

    [Fact]
    public void Verify_TimestampFurtherAheadThanTolerance_IsTimestampTooNewForBothSchemes()
    {
        var delivery = Delivery(Now + TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1), TestSecrets.Current);
        var verifier = new WebhookVerifier([TestSecrets.Current], _time);

        var standard = verifier.Verify(delivery.SignatureHeaders, delivery.BodyBytes);
        var hexOnly = verifier.Verify(delivery.Without(WebhookHeaders.Signature).SignatureHeaders, delivery.BodyBytes);

        Assert.Equal(WebhookVerificationFailure.TimestampTooNew, standard.Failure);
        Assert.Equal(WebhookVerificationFailure.TimestampTooNew, hexOnly.Failure);
    }

    [Fact]
    public void Verify_CustomTolerance_AppliesIt()
    {
        var delivery = Delivery(Now, TestSecrets.Current);
        var verifier = new WebhookVerifier([TestSecrets.Current], _time) { Tolerance = TimeSpan.FromSeconds(30) };
        _time.Advance(TimeSpan.FromSeconds(31));

        var result = verifier.Verify(delivery.SignatureHeaders, delivery.BodyBytes);

        Assert.Equal(WebhookVerificationFailure.TimestampTooOld, result.Failure);
    }

    [Fact]
    public void Verify_RotationSignedWithPreviousSecretOnly_IsValidWithBothSecretsConfigured()
    {
        var delivery = Delivery(Now, TestSecrets.Previous);
        var verifier = new WebhookVerifier([TestSecrets.Current, TestSecrets.Previous], _time);

        var standard = verifier.Verify(delivery.SignatureHeaders, delivery.BodyBytes);
        var hexOnly = verifier.Verify(delivery.Without(WebhookHeaders.Signature).SignatureHeaders, delivery.BodyBytes);

        Assert.True(standard.IsValid, standard.Message);
        Assert.True(hexOnly.IsValid, hexOnly.Message);
    }

    [Fact]
    public void Verify_RotationSignedWithBothSecrets_IsValidWithEitherSecretAlone()
    {
        var delivery = Delivery(Now, TestSecrets.Current, TestSecrets.Previous);

        var withCurrent = new WebhookVerifier([TestSecrets.Current], _time).Verify(delivery.SignatureHeaders, delivery.BodyBytes);
        var withPrevious = new WebhookVerifier([TestSecrets.Previous], _time).Verify(delivery.SignatureHeaders, delivery.BodyBytes);

        Assert.Equal(2, delivery.Headers[WebhookHeaders.Signature].Split(' ').Length);
        Assert.True(withCurrent.IsValid, withCurrent.Message);
        Assert.True(withPrevious.IsValid, withPrevious.Message);
    }

    [Fact]
    public void Verify_HttpHeadersInAnyCase_AreRead()
    {
        var delivery = Delivery(Now, TestSecrets.Current);
        var headers = new HeaderDictionary();
        foreach (var (name, value) in delivery.Headers)
        {
            headers[name.ToUpperInvariant()] = value;
        }

        var result = new WebhookVerifier([TestSecrets.Current], _time).Verify(headers, delivery.BodyBytes);

        Assert.True(result.IsValid, result.Message);
    }

    [Fact]
    public void EnsureValid_InvalidResult_ThrowsWithFailure()
    {
        var delivery = Delivery(Now, TestSecrets.Current);
        var result = new WebhookVerifier([TestSecrets.Unrelated], _time).Verify(delivery.SignatureHeaders, delivery.BodyBytes);

        var exception = Assert.Throws<WebhookVerificationException>(result.EnsureValid);

        Assert.Equal(WebhookVerificationFailure.InvalidSignature, exception.Failure);
    }

    [Fact]
    public void Constructor_NoSecrets_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new WebhookVerifier([], _time));
    }

    [Fact]
    public void Tolerance_Negative_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => new WebhookVerifier([TestSecrets.Current], _time) { Tolerance = TimeSpan.FromSeconds(-1) });
    }

    private static WebhookSignatureHeaders VectorHeaders(string signature) => new()
    {
        WebhookId = VectorId,
        WebhookTimestamp = "1614265330",
        WebhookSignature = signature,
    };

    private static SignedDelivery Delivery(DateTimeOffset sentAt, params string[] secrets)
    {
        var eventId = TestEnvelopes.NewEventId();
        return SignedDelivery.Create(TestEnvelopes.Batch(eventId), eventId, sentAt, secrets);
    }
}
