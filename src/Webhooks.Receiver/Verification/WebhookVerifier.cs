using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Webhooks.Receiver;

/// <summary>
/// Verifies Webhooks.Functions deliveries signed with the Standard Webhooks scheme (<c>webhook-signature</c>: <c>v1</c>
/// HMAC entries, and <c>v1a</c> Ed25519 entries given <c>whpk_</c> public keys) or the crawl-document hex scheme
/// (<c>X-Webhook-Signature</c>), against one or more secrets or public keys. Thread-safe; create one per set of keys
/// and reuse it.
/// </summary>
/// <remarks>
/// When <c>webhook-signature</c> is present it decides the outcome and the hex headers are ignored; the hex scheme is
/// used only for requests that carry no <c>webhook-signature</c>. Every comparison is constant-time.
/// </remarks>
public sealed class WebhookVerifier
{
    /// <summary>The default accepted clock difference, in both directions: 5 minutes.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    // Unix seconds of 9999-12-31, the last instant DateTimeOffset can hold.
    private const long MaxUnixSeconds = 253_402_300_799;

    private readonly SecretKeys[] _keys;
    private readonly NSec.Cryptography.PublicKey[] _publicKeys;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _tolerance = DefaultTolerance;

    /// <summary>Creates a verifier.</summary>
    /// <param name="secrets">
    /// The signing secrets (<c>whsec_…</c>) to accept, newest first; during a rotation pass both the new and the old one.
    /// An entry starting <c>whpk_</c> is an Ed25519 public key whose <c>v1a</c> signatures are accepted.
    /// </param>
    /// <param name="timeProvider">The clock the signed timestamp is compared with.</param>
    /// <exception cref="ArgumentException">No key is given, or one is neither <c>whsec_</c> + base64 nor a <c>whpk_</c> key.</exception>
    public WebhookVerifier(IEnumerable<string> secrets, TimeProvider timeProvider)
        : this(SplitSecrets(secrets, publicKeys: false), SplitSecrets(secrets, publicKeys: true), timeProvider)
    {
    }

    /// <summary>Creates a verifier of HMAC secrets and Ed25519 public keys.</summary>
    /// <param name="secrets">The signing secrets (<c>whsec_…</c>) to accept; may be empty when public keys are given.</param>
    /// <param name="publicKeys">
    /// The Ed25519 public keys (<c>whpk_…</c>) whose <c>v1a</c> signatures are accepted, e.g. every <c>public_key</c> of
    /// <c>GET /v1/endpoints/{id}/public-keys</c>; may be empty when secrets are given.
    /// </param>
    /// <param name="timeProvider">The clock the signed timestamp is compared with.</param>
    /// <exception cref="ArgumentException">Neither is given, or one is malformed.</exception>
    public WebhookVerifier(IEnumerable<string> secrets, IEnumerable<string> publicKeys, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(publicKeys);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _keys = [.. secrets.Select(s => new SecretKeys(WebhookSignatures.DecodeStandardSecret(s), Encoding.UTF8.GetBytes(s)))];
        _publicKeys = [.. publicKeys.Select(WebhookSignatures.DecodePublicKey)];
        if (_keys.Length == 0 && _publicKeys.Length == 0)
        {
            throw new ArgumentException("At least one signing secret or public key is required.", nameof(secrets));
        }

        _timeProvider = timeProvider;
    }

    /// <summary>
    /// How far the signed timestamp may be from the current time, in either direction. Defaults to
    /// <see cref="DefaultTolerance"/>; <see cref="TimeSpan.Zero"/> accepts only the current second.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan Tolerance
    {
        get => _tolerance;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _tolerance = value;
        }
    }

    /// <summary>Whether requests signed only with the hex scheme are accepted. Defaults to <see langword="true"/>.</summary>
    public bool AcceptHexSignatures { get; init; } = true;

    /// <summary>Verifies an ASP.NET Core request's headers against its raw body.</summary>
    /// <param name="headers">The request headers.</param>
    /// <param name="body">The exact body bytes, as received.</param>
    /// <returns>The outcome; never throws for bad input.</returns>
    public WebhookVerificationResult Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body) =>
        Verify(WebhookSignatureHeaders.FromHttpHeaders(headers), body);

    /// <summary>Verifies the signature headers of a delivery against its raw body.</summary>
    /// <param name="headers">The signature header values.</param>
    /// <param name="body">The exact body bytes, as received.</param>
    /// <returns>The outcome; never throws for bad input.</returns>
    public WebhookVerificationResult Verify(WebhookSignatureHeaders headers, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (!string.IsNullOrWhiteSpace(headers.WebhookSignature))
        {
            return VerifyStandard(headers, body);
        }

        if (AcceptHexSignatures && !string.IsNullOrWhiteSpace(headers.HexSignature))
        {
            return VerifyHex(headers, body);
        }

        var expected = AcceptHexSignatures
            ? $"{WebhookHeaders.Signature} (or {WebhookHeaders.HexSignature})"
            : WebhookHeaders.Signature;
        return WebhookVerificationResult.Fail(WebhookVerificationFailure.MissingHeader, $"The {expected} header is missing.");
    }

    private WebhookVerificationResult VerifyStandard(WebhookSignatureHeaders headers, ReadOnlySpan<byte> body)
    {
        const WebhookSignatureScheme scheme = WebhookSignatureScheme.StandardWebhooks;
        if (string.IsNullOrEmpty(headers.WebhookId))
        {
            return Missing(WebhookHeaders.Id, scheme);
        }

        if (string.IsNullOrEmpty(headers.WebhookTimestamp))
        {
            return Missing(WebhookHeaders.Timestamp, scheme);
        }

        if (!TryParseTimestamp(headers.WebhookTimestamp, out var timestamp))
        {
            return Malformed(WebhookHeaders.Timestamp, scheme);
        }

        Span<byte> candidate = stackalloc byte[WebhookSignatures.MacLength];
        var matched = false;
        foreach (var key in _keys)
        {
            var expected = WebhookSignatures.StandardMac(key.Standard, headers.WebhookId, headers.WebhookTimestamp, body);
            foreach (var token in headers.WebhookSignature!.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                // Other versions (v1a, v2, …) are skipped rather than rejected so a sender can add schemes later.
                var comma = token.IndexOf(',', StringComparison.Ordinal);
                if (comma < 0 || !token.AsSpan(0, comma).SequenceEqual(WebhookSignatures.StandardVersion))
                {
                    continue;
                }

                if (Convert.TryFromBase64String(token[(comma + 1)..], candidate, out var written)
                    && written == WebhookSignatures.MacLength
                    && CryptographicOperations.FixedTimeEquals(candidate, expected))
                {
                    matched = true;
                }
            }
        }

        matched |= MatchesAsymmetric(headers.WebhookSignature!, headers.WebhookId, headers.WebhookTimestamp, body);
        if (!matched)
        {
            return WebhookVerificationResult.Fail(
                WebhookVerificationFailure.InvalidSignature,
                $"No {WebhookSignatures.StandardVersion} or {WebhookSignatures.AsymmetricVersion} signature in {WebhookHeaders.Signature} matches the body.",
                scheme);
        }

        return CheckTimestamp(timestamp, scheme, headers.WebhookId);
    }

    /// <summary>Whether a <c>v1a</c> entry of the header is a valid Ed25519 signature by one of the public keys.</summary>
    private bool MatchesAsymmetric(string header, string webhookId, string timestamp, ReadOnlySpan<byte> body)
    {
        if (_publicKeys.Length == 0)
        {
            return false;
        }

        Span<byte> signature = stackalloc byte[WebhookSignatures.Ed25519SignatureLength];
        foreach (var token in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = token.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || !token.AsSpan(0, comma).SequenceEqual(WebhookSignatures.AsymmetricVersion)
                || !Convert.TryFromBase64String(token[(comma + 1)..], signature, out var written)
                || written != WebhookSignatures.Ed25519SignatureLength)
            {
                continue;
            }

            foreach (var key in _publicKeys)
            {
                if (WebhookSignatures.VerifyAsymmetric(key, webhookId, timestamp, body, signature))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private WebhookVerificationResult VerifyHex(WebhookSignatureHeaders headers, ReadOnlySpan<byte> body)
    {
        const WebhookSignatureScheme scheme = WebhookSignatureScheme.Hex;
        if (string.IsNullOrEmpty(headers.HexTimestamp))
        {
            return Missing(WebhookHeaders.HexTimestamp, scheme);
        }

        if (!TryParseTimestamp(headers.HexTimestamp, out var timestamp))
        {
            return Malformed(WebhookHeaders.HexTimestamp, scheme);
        }

        Span<byte> candidate = stackalloc byte[WebhookSignatures.MacLength];
        var signature = headers.HexSignature!.Trim();
        var decoded = signature.Length == 2 * WebhookSignatures.MacLength
            && Convert.FromHexString(signature, candidate, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == WebhookSignatures.MacLength;

        var matched = false;
        foreach (var key in _keys)
        {
            var expected = WebhookSignatures.HexMac(key.Hex, headers.HexTimestamp, body);
            if (decoded && CryptographicOperations.FixedTimeEquals(candidate, expected))
            {
                matched = true;
            }
        }

        if (!matched)
        {
            return WebhookVerificationResult.Fail(
                WebhookVerificationFailure.InvalidSignature,
                $"The {WebhookHeaders.HexSignature} header does not match the body.",
                scheme);
        }

        return CheckTimestamp(timestamp, scheme, webhookId: null);
    }

    private WebhookVerificationResult CheckTimestamp(DateTimeOffset timestamp, WebhookSignatureScheme scheme, string? webhookId)
    {
        var age = _timeProvider.GetUtcNow() - timestamp;
        if (age > _tolerance)
        {
            return WebhookVerificationResult.Fail(
                WebhookVerificationFailure.TimestampTooOld,
                $"The signed timestamp is {FormatSeconds(age)} old; at most {FormatSeconds(_tolerance)} is accepted.",
                scheme);
        }

        if (-age > _tolerance)
        {
            return WebhookVerificationResult.Fail(
                WebhookVerificationFailure.TimestampTooNew,
                $"The signed timestamp is {FormatSeconds(-age)} in the future; at most {FormatSeconds(_tolerance)} is accepted.",
                scheme);
        }

        return new WebhookVerificationResult
        {
            Failure = WebhookVerificationFailure.None,
            Message = "The webhook signature is valid.",
            Scheme = scheme,
            Timestamp = timestamp,
            WebhookId = webhookId,
        };
    }

    private static bool TryParseTimestamp(string text, out DateTimeOffset timestamp)
    {
        // Digits only: no sign, no spaces, no exponent, so the signed text and the parsed value cannot disagree.
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= MaxUnixSeconds)
        {
            timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }

        timestamp = default;
        return false;
    }

    private static string FormatSeconds(TimeSpan value) =>
        ((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " s";

    private static WebhookVerificationResult Missing(string header, WebhookSignatureScheme scheme) =>
        WebhookVerificationResult.Fail(WebhookVerificationFailure.MissingHeader, $"The {header} header is missing.", scheme);

    private static WebhookVerificationResult Malformed(string header, WebhookSignatureScheme scheme) =>
        WebhookVerificationResult.Fail(
            WebhookVerificationFailure.MalformedHeader, $"The {header} header is not a unix time in seconds.", scheme);

    private static List<string> SplitSecrets(IEnumerable<string> secrets, bool publicKeys)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        return [.. secrets.Where(s => s is not null && s.StartsWith(WebhookSignatures.PublicKeyPrefix, StringComparison.Ordinal) == publicKeys)];
    }

    private sealed record SecretKeys(byte[] Standard, byte[] Hex);
}
