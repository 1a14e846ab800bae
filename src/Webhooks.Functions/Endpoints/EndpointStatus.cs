namespace Webhooks.Functions.Endpoints;

/// <summary>The <c>status</c> of an endpoint (SPEC §8).</summary>
internal static class EndpointStatus
{
    public const string Enabled = "enabled";
    public const string Disabled = "disabled";
}
