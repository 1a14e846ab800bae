using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// One Ed25519 key pair of the Standard Webhooks <c>v1a</c> scheme (SPEC §13), written as the spec writes them:
/// <see cref="SecretKey"/> is <c>whsk_</c> + base64 of the 32-byte RFC 8032 private key (the seed),
/// <see cref="PublicKey"/> <c>whpk_</c> + base64 of the 32-byte public key. <see cref="ExpiresAt"/> is set when a newer
/// pair replaced it. The curve is NSec's (libsodium); nothing of it is implemented here.
/// </summary>
internal sealed record AsymmetricSigningKey(string SecretKey, string PublicKey, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt)
{
    public const string SecretPrefix = "whsk_";
    public const string PublicPrefix = "whpk_";
    public const string Version = "v1a";

    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    public static AsymmetricSigningKey Create(DateTimeOffset now)
    {
        using var key = Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var secret = key.Export(KeyBlobFormat.RawPrivateKey);
        var pub = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        try
        {
            return new(SecretPrefix + Convert.ToBase64String(secret), PublicPrefix + Convert.ToBase64String(pub), now, null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    public bool IsActive(DateTimeOffset now) => ExpiresAt is null || ExpiresAt > now;

    /// <summary>The 32 public key bytes.</summary>
    public byte[] PublicKeyBytes() => Convert.FromBase64String(PublicKey[PublicPrefix.Length..]);

    /// <summary>The Ed25519 signature of <paramref name="content"/>, base64.</summary>
    public string Sign(ReadOnlySpan<byte> content)
    {
        var seed = Convert.FromBase64String(SecretKey[SecretPrefix.Length..]);
        try
        {
            using var key = Key.Import(Algorithm, seed, KeyBlobFormat.RawPrivateKey);
            return Convert.ToBase64String(Algorithm.Sign(key, content));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// The JWK key id: the RFC 7638 thumbprint, base64url of SHA-256 over the required members in lexicographic order,
    /// <c>{"crv":"Ed25519","kty":"OKP","x":"…"}</c> (RFC 8037 §2).
    /// </summary>
    public string KeyId() =>
        Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"crv":"Ed25519","kty":"OKP","x":"{{Base64Url(PublicKeyBytes())}}"}""")));

    /// <summary>Base64url without padding (RFC 7515 §2), as JWK members are written.</summary>
    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
