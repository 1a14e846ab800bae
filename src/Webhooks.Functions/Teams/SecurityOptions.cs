using System.ComponentModel.DataAnnotations;

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

    /// <summary>
    /// How long the previous signing secret keeps signing after a rotation (SPEC §4: 24 h), so receivers can switch
    /// to the new secret without rejecting webhooks in between. Tests shorten it to watch the overlap end.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ParseLimitsInInvariantCulture = true,
        ErrorMessage = "Security:SecretRotationOverlap must be between 00:00:01 and 30.00:00:00.")]
    public TimeSpan SecretRotationOverlap { get; set; } = TimeSpan.FromHours(24);
}
