using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Functions.Delivery;

/// <summary>The two signature schemes of SPEC §4. Both sign the exact body bytes sent.</summary>
internal static class WebhookSigner
{
    /// <summary>
    /// Standard Webhooks: HMAC-SHA256 keyed with the base64-decoded part after <c>whsec_</c>, over
    /// <c>{webhook-id}.{webhook-timestamp}.{body}</c>; one <c>v1,&lt;base64&gt;</c> per secret, space-separated.
    /// </summary>
    public static string StandardSignatures(IEnumerable<SigningSecret> secrets, string webhookId, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var content = Concat(Encoding.UTF8.GetBytes($"{webhookId}.{unixSeconds.ToString(CultureInfo.InvariantCulture)}."), body);
        var signatures = new List<string>();
        foreach (var secret in secrets)
        {
            var key = Convert.FromBase64String(secret.Secret[SigningSecret.Prefix.Length..]);
            signatures.Add("v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content)));
        }
        return string.Join(' ', signatures);
    }

    /// <summary>
    /// Standard Webhooks <c>v1a</c>: the Ed25519 signature of the same <c>{webhook-id}.{webhook-timestamp}.{body}</c>, one
    /// <c>v1a,&lt;base64&gt;</c> per key, space-separated; empty for no keys.
    /// </summary>
    public static string AsymmetricSignatures(IEnumerable<AsymmetricSigningKey> keys, string webhookId, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var content = Concat(Encoding.UTF8.GetBytes($"{webhookId}.{unixSeconds.ToString(CultureInfo.InvariantCulture)}."), body);
        return string.Join(' ', keys.Select(k => AsymmetricSigningKey.Version + "," + k.Sign(content)));
    }

    /// <summary>The <c>webhook-signature</c> value: every <c>v1</c> entry, then every <c>v1a</c> entry.</summary>
    public static string SignatureHeader(SigningKeys keys, string webhookId, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var standard = StandardSignatures(keys.Secrets, webhookId, unixSeconds, body);
        return keys.AsymmetricKeys.Count == 0 ? standard : standard + " " + AsymmetricSignatures(keys.AsymmetricKeys, webhookId, unixSeconds, body);
    }

    /// <summary>The crawl document's scheme: lowercase hex HMAC-SHA256 keyed with the whole secret string's UTF-8 bytes, over <c>{timestamp}.{body}</c>.</summary>
    public static string HexSignature(SigningSecret secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var content = Concat(Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + "."), body);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret.Secret), content));
    }

    private static byte[] Concat(byte[] prefix, ReadOnlySpan<byte> body)
    {
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return content;
    }
}
