using System.Net;
using Webhooks.Functions.Outbound;

namespace Webhooks.Functions.Tests.Outbound;

/// <summary>The SSRF guard's decisions, checked without connecting anywhere.</summary>
public sealed class AddressGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:7f00:1::")]
    public void IsBlocked_PrivateOrSpecialAddress_True(string address) => Assert.True(AddressGuard.IsBlocked(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void IsBlocked_PublicAddress_False(string address) => Assert.False(AddressGuard.IsBlocked(IPAddress.Parse(address)));

    [Theory]
    [InlineData("2130706433")]   // decimal 127.0.0.1
    [InlineData("0x7f000001")]   // hex
    [InlineData("0177.0.0.1")]   // octal
    [InlineData("127.1")]        // short form
    public void AlternativeIPv4Spellings_ParseToBlockedAddress(string host)
    {
        // What a URL host like http://2130706433/ means to the resolver; the guard decides on the parsed address.
        var uri = new Uri($"http://{host}/");
        Assert.True(IPAddress.TryParse(uri.Host, out var address), uri.Host);
        Assert.True(AddressGuard.IsBlocked(address));
    }

    [Fact]
    public async Task NameResolvingToLoopback_IsBlocked()
    {
        var addresses = await Dns.GetHostAddressesAsync("localhost");
        Assert.NotEmpty(addresses);
        Assert.All(addresses, a => Assert.True(AddressGuard.IsBlocked(a)));
    }
}
