namespace Webhooks.Functions.Outbound;

/// <summary>The <c>Outbound</c> section: how the outgoing clients trust the servers they call.</summary>
internal sealed class OutboundOptions
{
    /// <summary>
    /// A PEM file of root certificates trusted besides the system's, for https receivers and token endpoints whose
    /// certificates a private CA issued (the tests' own CA). Validation stays on: a chain must end in one of these or
    /// a system root, and the name must match.
    /// </summary>
    public string? ExtraTrustedRootCertificates { get; set; }
}
