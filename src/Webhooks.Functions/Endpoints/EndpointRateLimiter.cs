using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// An endpoint's <c>rate_limit_per_s</c> across every instance (SPEC §8): one row per endpoint counts the attempts of
/// the current second, claimed with an ETag, so instances racing for the last slot cannot both win. An attempt over the
/// cap is told when the next second starts; its orchestration waits on a durable timer until then, holding nothing.
/// A local count in front of the row spares storage the claims that would fail anyway.
/// </summary>
internal sealed class EndpointRateLimiter(StorageAccount storage, TimeProvider time)
{
    private const string RateRow = "rate";
    private const int MaxClaimTries = 4;

    private readonly ConcurrentDictionary<string, (long Second, int Count)> _local = new(StringComparer.Ordinal);

    /// <summary>Null when an attempt to <paramref name="endpoint"/> may go now; else when to ask again.</summary>
    public async Task<DateTimeOffset?> TryTakeAsync(EndpointEntity endpoint, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        for (var tries = 0; tries < MaxClaimTries; tries++)
        {
            var second = time.GetUtcNow().ToUnixTimeSeconds();
            var nextSecond = DateTimeOffset.FromUnixTimeSeconds(second + 1);
            if (_local.TryGetValue(endpoint.EndpointId, out var local) && local.Second == second && local.Count >= limit)
            {
                return nextSecond;
            }
            var row = await storage.Endpoints.GetEntityIfExistsAsync<TableEntity>(endpoint.EndpointId, RateRow, cancellationToken: cancellationToken);
            var current = row.HasValue ? row.Value : null;
            var count = current?.GetInt64("Second") == second ? current.GetInt32("Count") ?? 0 : 0;
            if (count >= limit)
            {
                _local[endpoint.EndpointId] = (second, count);
                return nextSecond;
            }
            var claim = new TableEntity(endpoint.EndpointId, RateRow) { ["Second"] = second, ["Count"] = count + 1 };
            try
            {
                if (current is null)
                {
                    await storage.Endpoints.AddEntityAsync(claim, cancellationToken);
                }
                else
                {
                    await storage.Endpoints.UpdateEntityAsync(claim, current.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                _local[endpoint.EndpointId] = (second, count + 1);
                return null;
            }
            catch (RequestFailedException e) when (e.IsWriteConflict())
            {
                // Another attempt claimed a slot between our read and write: read the count again.
            }
        }
        // Heavy contention for this endpoint: let this attempt try in the next second rather than keep racing.
        return DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds() + 1);
    }
}
