using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Webhooks.Functions.Outbound;

/// <summary>
/// Webhook clients that present a client certificate in the TLS handshake (mTLS), one per owner (an endpoint) and
/// certificate. A connection is bound to the certificate it was opened with, so each certificate needs a pool of its
/// own; a new certificate for the same owner replaces its client, whose idle connections then close.
/// </summary>
internal sealed class ClientCertificateClients(GuardedConnector connector, ServerCertificateTrust trust) : IDisposable
{
    private readonly ConcurrentDictionary<string, (string Thumbprint, Lazy<HttpClient> Client)> _clients = new(StringComparer.Ordinal);

    /// <summary>The client of <paramref name="owner"/> presenting the certificate <paramref name="thumbprint"/>, loaded by <paramref name="load"/> the first time.</summary>
    public HttpClient For(string owner, string thumbprint, Func<X509Certificate2Collection> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var entry = _clients.AddOrUpdate(owner,
            _ => (thumbprint, new Lazy<HttpClient>(() => Create(load()))),
            (_, existing) => existing.Thumbprint == thumbprint ? existing : (thumbprint, new Lazy<HttpClient>(() => Create(load()))));
        return entry.Client.Value;
    }

    private HttpClient Create(X509Certificate2Collection certificates)
    {
        var leaf = certificates[0];
        var ssl = trust.ClientOptions();
        ssl.ClientCertificateContext = SslStreamCertificateContext.Create(leaf, new X509Certificate2Collection(certificates.Skip(1).ToArray()), offline: true);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ConnectCallback = connector.ConnectAsync,
            SslOptions = ssl,
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public void Dispose()
    {
        foreach (var (_, client) in _clients.Values)
        {
            if (client.IsValueCreated)
            {
                client.Value.Dispose();
            }
        }
    }
}
