using System.Net;
using System.Net.Sockets;

namespace Webhooks.Functions.Outbound;

/// <summary>
/// The SSRF guard's decision (SPEC §5): which resolved addresses a webhook or a fetched page may connect to.
/// Loopback, private, link-local (cloud metadata included), CGNAT, multicast, unspecified and reserved ranges are
/// refused, for IPv4 and IPv6, including IPv4 embedded in IPv6 (mapped, compatible, NAT64, 6to4).
/// </summary>
internal static class AddressGuard
{
    private static readonly (IPAddress Network, int PrefixLength)[] BlockedV4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8),         // "this network", unspecified
        (IPAddress.Parse("10.0.0.0"), 8),        // private
        (IPAddress.Parse("100.64.0.0"), 10),     // CGNAT (and Alibaba's metadata 100.100.100.200)
        (IPAddress.Parse("127.0.0.0"), 8),       // loopback
        (IPAddress.Parse("169.254.0.0"), 16),    // link-local, cloud metadata 169.254.169.254
        (IPAddress.Parse("172.16.0.0"), 12),     // private
        (IPAddress.Parse("192.0.0.0"), 24),      // IETF protocol assignments
        (IPAddress.Parse("192.168.0.0"), 16),    // private
        (IPAddress.Parse("198.18.0.0"), 15),     // benchmarking
        (IPAddress.Parse("224.0.0.0"), 4),       // multicast
        (IPAddress.Parse("240.0.0.0"), 4),       // reserved, broadcast
    ];

    private static readonly (IPAddress Network, int PrefixLength)[] BlockedV6 =
    [
        (IPAddress.Parse("::"), 128),            // unspecified
        (IPAddress.Parse("::1"), 128),           // loopback
        (IPAddress.Parse("fc00::"), 7),          // unique local (AWS metadata fd00:ec2::254)
        (IPAddress.Parse("fe80::"), 10),         // link-local
        (IPAddress.Parse("fec0::"), 10),         // site-local (deprecated)
        (IPAddress.Parse("ff00::"), 8),          // multicast
        (IPAddress.Parse("100::"), 64),          // discard
        (IPAddress.Parse("2001:db8::"), 32),     // documentation
    ];

    /// <summary>True when a connection to <paramref name="address"/> must be refused.</summary>
    public static bool IsBlocked(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return BlockedV4.Any(range => InRange(address, range.Network, range.PrefixLength));
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return true;
        }
        if (EmbeddedIPv4(address) is { } embedded)
        {
            return IsBlocked(embedded);
        }
        return BlockedV6.Any(range => InRange(address, range.Network, range.PrefixLength));
    }

    /// <summary>The IPv4 address an IPv6 address carries: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::/96) or 6to4 (2002::/16).</summary>
    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        var bytes = address.GetAddressBytes();
        var firstTwelveZero = bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
        if (firstTwelveZero && !(bytes[12] == 0 && bytes[13] == 0 && bytes[14] == 0 && bytes[15] <= 1))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }
        if (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && bytes.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }
        if (bytes[0] == 0x20 && bytes[1] == 0x02)
        {
            return new IPAddress(bytes.AsSpan(2, 4));
        }
        return null;
    }

    private static bool InRange(IPAddress address, IPAddress network, int prefixLength)
    {
        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        if (a.Length != n.Length)
        {
            return false;
        }
        var fullBytes = prefixLength / 8;
        if (!a.AsSpan(0, fullBytes).SequenceEqual(n.AsSpan(0, fullBytes)))
        {
            return false;
        }
        var remainingBits = prefixLength % 8;
        if (remainingBits == 0)
        {
            return true;
        }
        var mask = (byte)(0xFF << (8 - remainingBits));
        return (a[fullBytes] & mask) == (n[fullBytes] & mask);
    }
}
