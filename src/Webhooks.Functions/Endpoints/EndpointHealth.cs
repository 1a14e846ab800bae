namespace Webhooks.Functions.Endpoints;

/// <summary>Counts each endpoint's attempts per window and decides when it is failing or disabled (SPEC §9).</summary>
internal sealed class EndpointHealth
{
    /// <summary>The endpoint's counts over the current window.</summary>
    public Task<EndpointHealthReport> ReadAsync(EndpointEntity endpoint, CancellationToken cancellationToken) =>
        throw new NotImplementedException("being built");
}
