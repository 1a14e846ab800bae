using System.Net;
using System.Net.Sockets;

namespace Webhooks.Functions.Outbound;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of every outgoing client: resolves the host itself and
/// connects only to addresses <see cref="AddressGuard"/> allows, so a DNS answer that changes between a check and the
/// connection (rebinding) cannot slip through. <c>Security:AllowPrivateNetworks</c>, through
/// <see cref="IOutboundAddressPolicy"/>, turns the check off.
/// </summary>
internal sealed class GuardedConnector(IOutboundAddressPolicy policy)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = policy.AllowPrivateNetworks ? addresses : addresses.Where(a => !AddressGuard.IsBlocked(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new BlockedAddressException(host);
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
