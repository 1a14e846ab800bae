using System.Security.Cryptography;
using System.Text;
using Azure;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Api;

/// <summary>
/// Reserves and answers <c>Idempotency-Key</c>s in the idempotency table. The reservation is an insert, so of two
/// concurrent requests with the same key exactly one proceeds; it names the job id up front, so a retry after a crash
/// completes that job rather than creating a second one. Keys are remembered for <see cref="Retention"/>.
/// </summary>
internal sealed class IdempotencyStore(StorageAccount storage, TimeProvider time)
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>Longer than creating the largest batch takes; a request older than this is presumed dead.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    public const int MaxKeyLength = 255;

    public static string RequestHash(HttpRequest request, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(request.Method + " " + request.Path + "\n"));
        sha.AppendData(body);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    public async Task<IdempotencyClaim> ClaimAsync(string teamId, string key, string requestHash, string newJobId, CancellationToken cancellationToken)
    {
        var rowKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        while (true)
        {
            var now = time.GetUtcNow();
            var fresh = new IdempotencyEntity
            {
                PartitionKey = teamId,
                RowKey = rowKey,
                RequestHash = requestHash,
                JobId = newJobId,
                LockedUntil = now + Lease,
                CreatedAt = now,
            };
            try
            {
                await storage.Idempotency.AddEntityAsync(fresh, cancellationToken);
                return new IdempotencyClaim(IdempotencyClaimKind.Proceed, fresh);
            }
            catch (RequestFailedException e) when (e.IsEntityAlreadyExists())
            {
                // Used before: decide from what is stored.
            }

            var stored = await storage.Idempotency.GetEntityIfExistsAsync<IdempotencyEntity>(teamId, rowKey, cancellationToken: cancellationToken);
            if (!stored.HasValue || stored.Value is null)
            {
                continue;
            }
            var existing = stored.Value;
            if (existing.JobId == newJobId)
            {
                // Our own insert, committed, whose answer was lost: the client retried it and met it (the job id is new to this call).
                return new IdempotencyClaim(IdempotencyClaimKind.Proceed, existing);
            }
            try
            {
                if (existing.CreatedAt + Retention <= now)
                {
                    // Expired: the key is free again, for a new job.
                    await storage.Idempotency.UpdateEntityAsync(fresh, existing.ETag, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken);
                    return new IdempotencyClaim(IdempotencyClaimKind.Proceed, fresh);
                }
                if (existing.RequestHash != requestHash)
                {
                    return new IdempotencyClaim(IdempotencyClaimKind.Mismatch, existing);
                }
                if (existing.State == IdempotencyEntity.Done)
                {
                    return new IdempotencyClaim(IdempotencyClaimKind.Replay, existing);
                }
                if (existing.LockedUntil > now)
                {
                    return new IdempotencyClaim(IdempotencyClaimKind.InProgress, existing);
                }
                existing.LockedUntil = now + Lease;
                await storage.Idempotency.UpdateEntityAsync(existing, existing.ETag, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken);
                return new IdempotencyClaim(IdempotencyClaimKind.Proceed, existing) { Resuming = true };
            }
            catch (RequestFailedException e) when (e.IsUpdateConditionNotSatisfied() || e.IsNotFound())
            {
                // Someone else changed the entry between our read and write: look again.
            }
        }
    }

    /// <summary>Forgets a claim whose request created nothing, so that the key is free again.</summary>
    public async Task ReleaseAsync(IdempotencyEntity entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            await storage.Idempotency.DeleteEntityAsync(entry.PartitionKey, entry.RowKey, Azure.ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.IsNotFound())
        {
            // Already gone: nothing to forget.
        }
    }

    /// <summary>
    /// Ends the lease of a claim whose request failed for want of storage, so that the caller's retry resumes it at
    /// once. Best effort: if storage refuses this too, the lease runs out by itself.
    /// </summary>
    public async Task UnlockAsync(IdempotencyEntity entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            await storage.Idempotency.UpdateEntityAsync(
                new Azure.Data.Tables.TableEntity(entry.PartitionKey, entry.RowKey) { [nameof(IdempotencyEntity.LockedUntil)] = time.GetUtcNow() },
                Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Merge, CancellationToken.None);
        }
        catch (RequestFailedException)
        {
            // Gone (erased) or refused: nothing to do, or the lease ends on its own.
        }
        catch (Exception e) when (StorageUnavailable.Is(e, CancellationToken.None))
        {
            // Storage still unreachable: the lease ends on its own.
        }
    }

    /// <summary>Records the answer that replays will get. Unconditional: a late duplicate finisher writes the same answer.</summary>
    public async Task CompleteAsync(IdempotencyEntity entry, int status, string body, string? location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.State = IdempotencyEntity.Done;
        entry.ResponseStatus = status;
        entry.ResponseBody = body;
        entry.ResponseLocation = location;
        await storage.Idempotency.UpsertEntityAsync(entry, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken);
    }
}
