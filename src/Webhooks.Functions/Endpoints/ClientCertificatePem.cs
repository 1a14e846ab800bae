using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// An endpoint's client certificate (SPEC §13): PEM with the certificate first (its chain may follow) and its
/// unencrypted private key. Checked once when it is set, loaded again when a client is built for it.
/// </summary>
internal sealed record ClientCertificatePem(string Pem, string Subject, string Thumbprint, DateTimeOffset NotAfter)
{
    /// <summary>The longest PEM accepted: a certificate, a key and a short chain, kept in one table column once encrypted.</summary>
    public const int MaxLength = 16 * 1024;

    /// <summary>The checked certificate, or why <paramref name="pem"/> is refused.</summary>
    public static (ClientCertificatePem? Certificate, string? Error) Check(string pem, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (pem.Length > MaxLength)
        {
            return (null, $"must be at most {MaxLength} characters.");
        }
        X509Certificate2Collection certificates;
        try
        {
            certificates = Load(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return (null, HasCertificate(pem) && HasKey(pem)
                ? "has a private key that does not match its certificate."
                : "is not readable: give the certificate (-----BEGIN CERTIFICATE-----) and its unencrypted private key (-----BEGIN PRIVATE KEY-----) as PEM.");
        }
        try
        {
            var leaf = certificates[0];
            var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            if (notAfter <= now)
            {
                return (null, $"has expired: it was valid until {notAfter:yyyy-MM-ddTHH:mm:ssZ}.");
            }
            if (notBefore > now)
            {
                return (null, $"is not valid yet: it is valid from {notBefore:yyyy-MM-ddTHH:mm:ssZ}.");
            }
            return (new ClientCertificatePem(pem, leaf.Subject, leaf.Thumbprint, notAfter), null);
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    private static bool HasCertificate(string pem)
    {
        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPem(pem);
            var any = certificates.Count > 0;
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
            return any;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Whether the PEM holds a private key of a kind a certificate may have (RSA, ECDSA).</summary>
    private static bool HasKey(string pem)
    {
        AsymmetricAlgorithm[] candidates = [RSA.Create(), ECDsa.Create()];
        try
        {
            return candidates.Any(key =>
            {
                try
                {
                    key.ImportFromPem(pem);
                    return true;
                }
                catch (Exception e) when (e is ArgumentException or CryptographicException)
                {
                    return false;
                }
            });
        }
        finally
        {
            foreach (var key in candidates)
            {
                key.Dispose();
            }
        }
    }

    /// <summary>
    /// The certificate with its private key first, then the other certificates of the PEM (its chain). Throws
    /// <see cref="CryptographicException"/> when unreadable or without a key, <see cref="ArgumentException"/> when the key does not match.
    /// </summary>
    public static X509Certificate2Collection Load(string pem)
    {
        using var withKey = X509Certificate2.CreateFromPem(pem, pem);
        // Exported and loaded again so that the key is usable by the TLS stack on every platform.
        var leaf = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        var all = new X509Certificate2Collection();
        all.ImportFromPem(pem);
        var chain = new X509Certificate2Collection(leaf);
        foreach (var certificate in all)
        {
            if (certificate.Thumbprint == leaf.Thumbprint)
            {
                certificate.Dispose();
            }
            else
            {
                chain.Add(certificate);
            }
        }
        return chain;
    }
}
