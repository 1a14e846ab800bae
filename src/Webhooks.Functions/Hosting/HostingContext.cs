namespace Webhooks.Functions.Hosting;

/// <summary>The hosting mode chosen at start, for the services whose behaviour depends on it.</summary>
internal sealed record HostingContext(HostingMode Mode)
{
    public bool RunsOwnPollers => Mode == HostingMode.Standalone;
}
