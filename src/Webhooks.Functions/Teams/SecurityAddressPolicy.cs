using Microsoft.Extensions.Options;
using Webhooks.Functions.Outbound;

namespace Webhooks.Functions.Teams;

/// <summary>The outgoing clients' address guard follows <see cref="SecurityOptions.AllowPrivateNetworks"/>.</summary>
internal sealed class SecurityAddressPolicy(IOptions<SecurityOptions> options) : IOutboundAddressPolicy
{
    public bool AllowPrivateNetworks => options.Value.AllowPrivateNetworks;
}
