using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// A certificate authority made for one test run, and certificates it issues: a server certificate for 127.0.0.1 and
/// client certificates. The app trusts the CA only through <c>Outbound:ExtraTrustedRootCertificates</c>.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(X509Certificate2 authority, string authorityPemPath)
    {
        Authority = authority;
        AuthorityPemPath = authorityPemPath;
    }

    public X509Certificate2 Authority { get; }

    /// <summary>A PEM file holding the CA's certificate (no key), for <c>Outbound:ExtraTrustedRootCertificates</c>.</summary>
    public string AuthorityPemPath { get; }

    public static TestCertificates Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Webhooks Test CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = TimeProvider.System.GetUtcNow();
        var authority = request.CreateSelfSigned(now.AddDays(-30), now.AddYears(1));
        var path = Path.Combine(Path.GetTempPath(), $"webhooks-test-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, authority.ExportCertificatePem());
        return new TestCertificates(authority, path);
    }

    /// <summary>A TLS server certificate for 127.0.0.1, with its key, usable by Kestrel.</summary>
    public X509Certificate2 IssueServer()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return Issue(request, key, TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddDays(30));
    }

    /// <summary>A client certificate with its key, valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>.</summary>
    public X509Certificate2 IssueClient(string subject, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        return Issue(request, key, notBefore ?? TimeProvider.System.GetUtcNow().AddDays(-1), notAfter ?? TimeProvider.System.GetUtcNow().AddDays(30));
    }

    /// <summary>The certificate and its private key, PEM, as an endpoint's <c>client_certificate.pem</c> takes them.</summary>
    public static string Pem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var key = certificate.GetRSAPrivateKey()!;
        return certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n";
    }

    private X509Certificate2 Issue(CertificateRequest request, RSA key, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Authority, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(Authority, notBefore, notAfter, serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        Authority.Dispose();
        File.Delete(AuthorityPemPath);
    }
}
