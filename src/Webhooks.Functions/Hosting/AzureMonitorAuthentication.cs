namespace Webhooks.Functions.Hosting;

/// <summary>
/// Reads <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c>, the setting the Functions host itself uses to send telemetry
/// with Microsoft Entra ID: <c>Authorization=AAD</c> for the system-assigned identity, plus <c>ClientId=…</c> for a
/// user-assigned one. Our own exporter follows the same setting, so that an Application Insights resource with local
/// (key-only) authentication disabled receives both the host's and the app's telemetry.
/// </summary>
internal sealed record AzureMonitorAuthentication(bool UsesEntraId, string? ClientId)
{
    public const string SettingName = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    public static AzureMonitorAuthentication Parse(string? value)
    {
        var usesEntraId = false;
        string? clientId = null;
        foreach (var part in (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }
            var name = part[..equals].Trim();
            var setting = part[(equals + 1)..].Trim();
            if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                usesEntraId = setting.Equals("AAD", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("ClientId", StringComparison.OrdinalIgnoreCase) && setting.Length > 0)
            {
                clientId = setting;
            }
        }
        return new AzureMonitorAuthentication(usesEntraId, usesEntraId ? clientId : null);
    }
}
