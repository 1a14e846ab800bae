namespace Webhooks.Functions.Teams;

/// <summary>The <c>Security</c> section. Defaults depend on the environment and are set before configuration binds.</summary>
internal sealed class SecurityOptions
{
    /// <summary>Lifts the SSRF guard. Defaults to true only in Development.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Accept only https webhook URLs. Defaults to false only in Development.</summary>
    public bool RequireHttpsWebhooks { get; set; } = true;

    /// <summary>Base64 of the 32-byte AES key that encrypts signing secrets at rest. Required.</summary>
    public string? SecretEncryptionKey { get; set; }
}
