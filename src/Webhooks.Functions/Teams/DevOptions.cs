namespace Webhooks.Functions.Teams;

/// <summary>The <c>Dev</c> section, read only in the Development environment.</summary>
internal sealed class DevOptions
{
    public string? ApiKey { get; set; }
}
