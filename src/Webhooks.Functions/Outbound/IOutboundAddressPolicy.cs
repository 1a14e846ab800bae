namespace Webhooks.Functions.Outbound;

/// <summary>
/// Whether <see cref="GuardedConnector"/> may connect to private, loopback and link-local addresses, answered by the
/// Teams feature from <c>Security:AllowPrivateNetworks</c>, the switch its URL checks read too. Outbound knows no feature.
/// </summary>
internal interface IOutboundAddressPolicy
{
    bool AllowPrivateNetworks { get; }
}
