namespace Webhooks.Functions.Endpoints;

/// <summary>What happens to an endpoint's deliveries when it is deleted or enabled again (SPEC §8, §9).</summary>
internal sealed class EndpointLifecycle
{
    /// <summary>Deletes the endpoint and ends its pending and parked deliveries as failed (<c>endpoint deleted</c>); false if it did not exist.</summary>
    public Task<bool> DeleteAsync(string teamId, string endpointId, CancellationToken cancellationToken) =>
        throw new NotImplementedException("being built");

    /// <summary>Enables the endpoint; with <paramref name="recover"/>, starts every parked delivery. Null endpoint when it does not exist.</summary>
    public Task<(EndpointEntity? Endpoint, int Recovered)> EnableAsync(string teamId, string endpointId, bool recover, CancellationToken cancellationToken) =>
        throw new NotImplementedException("being built");
}
