namespace Webhooks.Functions.Outbound;

/// <summary>Thrown at connect time when every address a host resolved to is refused by <see cref="AddressGuard"/>.</summary>
internal sealed class BlockedAddressException(string host)
    : IOException($"Connection to '{host}' refused: it resolves only to private, loopback or otherwise blocked addresses.")
{
    public string Host { get; } = host;
}
