using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// Reads and writes endpoint rows. A team's endpoints share its partition of the endpoints table, so listing them for a
/// fan-out is one query. The attempt path reads an endpoint through a short cache (<see cref="CacheLifetime"/>): a
/// disable, delete or rate change is seen by every instance within that time.
/// </summary>
internal sealed class EndpointStore(StorageAccount storage, TimeProvider time)
{
    /// <summary>At most this many endpoints per team (SPEC §8).</summary>
    public const int MaxPerTeam = 50;

    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<(string Team, string Endpoint), (EndpointEntity? Endpoint, DateTimeOffset ReadAt)> _cache = new();
    private readonly ConcurrentDictionary<string, (IReadOnlyList<EndpointEntity> Endpoints, DateTimeOffset ReadAt)> _lists = new(StringComparer.Ordinal);

    /// <summary>
    /// The team's endpoints as listed at most <see cref="CacheLifetime"/> ago, for a fan-out: a job completion costs no
    /// extra read while its team's completions come in a burst. A change made on this instance is seen at once; one made
    /// on another instance within the lifetime.
    /// </summary>
    public async Task<IReadOnlyList<EndpointEntity>> ListRecentAsync(string teamId, CancellationToken cancellationToken)
    {
        if (_lists.TryGetValue(teamId, out var cached) && time.GetUtcNow() - cached.ReadAt < CacheLifetime)
        {
            return cached.Endpoints;
        }
        var endpoints = await ListAsync(teamId, cancellationToken);
        _lists[teamId] = (endpoints, time.GetUtcNow());
        return endpoints;
    }

    public async Task<IReadOnlyList<EndpointEntity>> ListAsync(string teamId, CancellationToken cancellationToken)
    {
        var endpoints = new List<EndpointEntity>();
        await foreach (var endpoint in storage.Endpoints.QueryAsync<EndpointEntity>(e => e.PartitionKey == teamId, cancellationToken: cancellationToken))
        {
            endpoints.Add(endpoint);
        }
        return endpoints.OrderBy(e => e.CreatedAt).ThenBy(e => e.RowKey, StringComparer.Ordinal).ToList();
    }

    public async Task<EndpointEntity?> GetAsync(string teamId, string endpointId, CancellationToken cancellationToken)
    {
        var row = await storage.Endpoints.GetEntityIfExistsAsync<EndpointEntity>(teamId, endpointId, cancellationToken: cancellationToken);
        var endpoint = row.HasValue ? row.Value : null;
        _cache[(teamId, endpointId)] = (endpoint, time.GetUtcNow());
        return endpoint;
    }

    /// <summary>The endpoint as read at most <see cref="CacheLifetime"/> ago (null: it does not exist).</summary>
    public async Task<EndpointEntity?> GetRecentAsync(string teamId, string endpointId, CancellationToken cancellationToken) =>
        _cache.TryGetValue((teamId, endpointId), out var cached) && time.GetUtcNow() - cached.ReadAt < CacheLifetime
            ? cached.Endpoint
            : await GetAsync(teamId, endpointId, cancellationToken);

    /// <summary>Adds <paramref name="endpoint"/>; false when the team has <see cref="MaxPerTeam"/> already.</summary>
    public async Task<bool> TryAddAsync(EndpointEntity endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        // Counted before the insert: two creates racing at 49 can both pass, which bounds the overshoot by the race.
        var existing = await ListAsync(endpoint.TeamId, cancellationToken);
        if (existing.Count >= MaxPerTeam)
        {
            return false;
        }
        await CommittedInsert.RunAsync(() => storage.Endpoints.AddEntityAsync(endpoint, cancellationToken),
            async () => (await storage.Endpoints.GetEntityIfExistsAsync<EndpointEntity>(endpoint.PartitionKey, endpoint.RowKey, cancellationToken: cancellationToken)) is { HasValue: true });
        _lists.TryRemove(endpoint.TeamId, out _);
        _cache[(endpoint.TeamId, endpoint.EndpointId)] = (endpoint, time.GetUtcNow());
        return true;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the stored endpoint (again on a concurrent write) and saves it when it returns
    /// true; null when the endpoint does not exist. The returned row is the one stored.
    /// </summary>
    public async Task<EndpointEntity?> UpdateAsync(string teamId, string endpointId, Func<EndpointEntity, bool> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        while (true)
        {
            var endpoint = await GetAsync(teamId, endpointId, cancellationToken);
            if (endpoint is null || !change(endpoint))
            {
                return endpoint;
            }
            endpoint.UpdatedAt = time.GetUtcNow();
            try
            {
                var response = await storage.Endpoints.UpdateEntityAsync(endpoint, endpoint.ETag, TableUpdateMode.Replace, cancellationToken);
                endpoint.ETag = response.Headers.ETag ?? default;
                _lists.TryRemove(teamId, out _);
                _cache[(teamId, endpointId)] = (endpoint, time.GetUtcNow());
                return endpoint;
            }
            catch (RequestFailedException e) when (e.IsUpdateConditionNotSatisfied() || e.IsNotFound())
            {
                // Changed or deleted between our read and write: read it again.
            }
        }
    }

    /// <summary>Deletes the rows of the endpoint's own partition (its health counts and rate window), once it is deleted.</summary>
    public async Task DeleteWorkingStateAsync(string endpointId, CancellationToken cancellationToken)
    {
        var keys = new List<TableEntity>();
        await foreach (var row in storage.Endpoints.QueryAsync<TableEntity>(
            e => e.PartitionKey == endpointId, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(row);
        }
        foreach (var chunk in keys.Chunk(TableTransactions.MaxActions))
        {
            await storage.Endpoints.SubmitTransactionAsync(
                chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, k, ETag.All)), cancellationToken);
        }
    }

    /// <summary>Deletes the endpoint row; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string teamId, string endpointId, CancellationToken cancellationToken)
    {
        _cache[(teamId, endpointId)] = (null, time.GetUtcNow());
        _lists.TryRemove(teamId, out _);
        try
        {
            await storage.Endpoints.DeleteEntityAsync(teamId, endpointId, ETag.All, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.IsNotFound())
        {
            return false;
        }
    }
}
