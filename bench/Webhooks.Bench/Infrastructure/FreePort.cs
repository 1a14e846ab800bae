using System.Net;
using System.Net.Sockets;

namespace Webhooks.Bench.Infrastructure;

internal static class FreePort
{
    /// <summary>A port free right now on 127.0.0.1 (the OS picks it; the caller binds it immediately after).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
