using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Receiver;

/// <summary>
/// The raw signing primitives of both schemes Webhooks.Functions uses, exposed so that a sender (or its tests) can
/// produce exactly what <see cref="WebhookVerifier"/> accepts.
/// </summary>
public static class WebhookSignatures
{
    /// <summary>The prefix of every signing secret: <c>whsec_</c> followed by base64 of the key bytes.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>The Standard Webhooks signature version this library produces and verifies.</summary>
    public const string StandardVersion = "v1";

    /// <summary>The prefix of an Ed25519 public key: <c>whpk_</c> followed by base64 of its 32 bytes (Standard Webhooks).</summary>
    public const string PublicKeyPrefix = "whpk_";

    /// <summary>The Standard Webhooks version of Ed25519 signatures.</summary>
    public const string AsymmetricVersion = "v1a";

    /// <summary>Length in bytes of an Ed25519 public key.</summary>
    internal const int PublicKeyLength = 32;

    /// <summary>Length in bytes of an Ed25519 signature.</summary>
    internal const int Ed25519SignatureLength = 64;

    /// <summary>Length in bytes of an HMAC-SHA256 value.</summary>
    internal const int MacLength = HMACSHA256.HashSizeInBytes;

    /// <summary>
    /// Decodes the key of a Standard Webhooks secret: the base64 text after the optional <c>whsec_</c> prefix.
    /// </summary>
    /// <param name="secret">A secret such as <c>whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw</c>.</param>
    /// <returns>The HMAC key bytes.</returns>
    /// <exception cref="ArgumentException">The secret is empty or not base64 after its prefix.</exception>
    public static byte[] DecodeStandardSecret(string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        try
        {
            var key = Convert.FromBase64String(encoded);
            if (key.Length == 0)
            {
                throw new ArgumentException("The signing secret has no key bytes after its prefix.", nameof(secret));
            }

            return key;
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("The signing secret is not base64 after its 'whsec_' prefix.", nameof(secret), ex);
        }
    }

    /// <summary>
    /// Computes the Standard Webhooks header value <c>v1,&lt;base64 HMAC-SHA256&gt;</c> of
    /// <c>{webhookId}.{timestamp}.{body}</c>, keyed with <see cref="DecodeStandardSecret"/> of <paramref name="secret"/>.
    /// </summary>
    /// <param name="secret">The signing secret (<c>whsec_…</c>).</param>
    /// <param name="webhookId">The <c>webhook-id</c> header value (the event id).</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> header value, unix seconds.</param>
    /// <param name="body">The exact request body bytes.</param>
    /// <returns>One signature, e.g. <c>v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=</c>.</returns>
    public static string ComputeStandardSignature(string secret, string webhookId, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhookId);
        var mac = StandardMac(DecodeStandardSecret(secret), webhookId, FormatTimestamp(timestamp), body);
        return StandardVersion + "," + Convert.ToBase64String(mac);
    }

    /// <summary>Computes the Standard Webhooks signature of a body given as text (encoded as UTF-8).</summary>
    /// <inheritdoc cref="ComputeStandardSignature(string, string, long, ReadOnlySpan{byte})"/>
    public static string ComputeStandardSignature(string secret, string webhookId, long timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return ComputeStandardSignature(secret, webhookId, timestamp, Encoding.UTF8.GetBytes(body));
    }

    /// <summary>
    /// Computes the crawl-document signature: lowercase hex HMAC-SHA256 of <c>{timestamp}.{body}</c>, keyed with the
    /// UTF-8 bytes of the whole secret string, prefix included.
    /// </summary>
    /// <param name="secret">The signing secret (<c>whsec_…</c>), used verbatim as the key.</param>
    /// <param name="timestamp">The <c>X-Webhook-Timestamp</c> header value, unix seconds.</param>
    /// <param name="body">The exact request body bytes.</param>
    /// <returns>64 lowercase hex digits.</returns>
    public static string ComputeHexSignature(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return Convert.ToHexStringLower(HexMac(Encoding.UTF8.GetBytes(secret), FormatTimestamp(timestamp), body));
    }

    /// <summary>Computes the crawl-document signature of a body given as text (encoded as UTF-8).</summary>
    /// <inheritdoc cref="ComputeHexSignature(string, long, ReadOnlySpan{byte})"/>
    public static string ComputeHexSignature(string secret, long timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return ComputeHexSignature(secret, timestamp, Encoding.UTF8.GetBytes(body));
    }

    /// <summary>Computes a plain lowercase hex HMAC-SHA256 of <paramref name="content"/>.</summary>
    /// <param name="key">The HMAC key.</param>
    /// <param name="content">The signed bytes.</param>
    /// <returns>64 lowercase hex digits.</returns>
    public static string ComputeHmacSha256Hex(ReadOnlySpan<byte> key, ReadOnlySpan<byte> content) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, content));

    /// <summary>Decodes a <c>whpk_</c> public key into its 32 bytes.</summary>
    /// <param name="publicKey">A key such as <c>whpk_5ROmnYte1ENFxlGtjZV9OmdlDxFnfKrSaqilk5cBM5A=</c>.</param>
    /// <returns>The Ed25519 public key.</returns>
    /// <exception cref="ArgumentException">The key lacks the prefix or is not base64 of 32 bytes.</exception>
    public static NSec.Cryptography.PublicKey DecodePublicKey(string publicKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(publicKey);
        Span<byte> raw = stackalloc byte[PublicKeyLength];
        if (!publicKey.StartsWith(PublicKeyPrefix, StringComparison.Ordinal)
            || !Convert.TryFromBase64String(publicKey[PublicKeyPrefix.Length..], raw, out var written)
            || written != PublicKeyLength
            || !NSec.Cryptography.PublicKey.TryImport(
                NSec.Cryptography.SignatureAlgorithm.Ed25519, raw, NSec.Cryptography.KeyBlobFormat.RawPublicKey, out var key))
        {
            throw new ArgumentException("The public key is not 'whpk_' + base64 of a 32-byte Ed25519 key.", nameof(publicKey));
        }

        return key!;
    }

    /// <summary>Whether <paramref name="signature"/> (64 bytes) is the Ed25519 signature of <c>{id}.{timestamp}.{body}</c>.</summary>
    internal static bool VerifyAsymmetric(NSec.Cryptography.PublicKey key, string webhookId, string timestamp, ReadOnlySpan<byte> body, ReadOnlySpan<byte> signature)
    {
        var prefix = Encoding.UTF8.GetBytes(webhookId + "." + timestamp + ".");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return NSec.Cryptography.SignatureAlgorithm.Ed25519.Verify(key, content, signature);
    }

    /// <summary>HMAC of <c>{id}.{timestamp}.{body}</c>; the timestamp is the header text exactly as received.</summary>
    internal static byte[] StandardMac(byte[] key, string webhookId, string timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(webhookId + "." + timestamp + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    /// <summary>HMAC of <c>{timestamp}.{body}</c>; the timestamp is the header text exactly as received.</summary>
    internal static byte[] HexMac(byte[] key, string timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(timestamp + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    private static string FormatTimestamp(long timestamp)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timestamp);
        return timestamp.ToString(CultureInfo.InvariantCulture);
    }
}
