using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Webhooks.Functions.Outbound;

/// <summary>
/// Server certificate validation of the outgoing clients: the system's, or, when <see cref="OutboundOptions.ExtraTrustedRootCertificates"/>
/// names roots, a chain that ends in one of them. Only a chain error is reconsidered; a name mismatch or a missing
/// certificate is refused as before.
/// </summary>
internal sealed class ServerCertificateTrust
{
    private readonly X509Certificate2Collection _extraRoots = [];

    public ServerCertificateTrust(IOptions<OutboundOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Value.ExtraTrustedRootCertificates is { Length: > 0 } path)
        {
            _extraRoots.ImportFromPemFile(path);
        }
    }

    /// <summary>New TLS options for an outgoing handler: the system's validation unless extra roots are configured.</summary>
    public SslClientAuthenticationOptions ClientOptions() =>
        _extraRoots.Count == 0 ? new SslClientAuthenticationOptions() : new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate };

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_extraRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }
}
