using System.Text.Json;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Api;

/// <summary>
/// Runs a create call under the rules of SPEC §3 for <c>Idempotency-Key</c>: same key and same body within 24 h → the
/// first answer again (status, body, <c>Location</c>) and nothing created; a different body → 422.
/// </summary>
internal static class IdempotencyHandling
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>
    /// <paramref name="create"/> receives the job id to use and whether an earlier attempt may have started creating
    /// it; it returns the object to answer with and its location.
    /// </summary>
    public static Task<IResult> CreateAsync<TResponse>(
        HttpContext context,
        JsonBody body,
        string teamId,
        string jobPrefix,
        IdempotencyStore store,
        Func<string, bool, CancellationToken, Task<(TResponse Response, string Location)>> create,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(create);
        return CreateOrRefuseAsync<TResponse>(context, body, teamId, jobPrefix, store,
            async (id, resuming, ct) =>
            {
                var (response, location) = await create(id, resuming, ct);
                return (response, location, null);
            },
            cancellationToken);
    }

    /// <summary>
    /// As <see cref="CreateAsync{TResponse}"/>, for a create call that can still be refused once it runs (a limit
    /// reached): <paramref name="create"/> answers a <c>Refusal</c> instead of a response. A refusal is not remembered,
    /// so the same key can be used again once the reason is gone, as validation errors are not remembered either.
    /// </summary>
    public static async Task<IResult> CreateOrRefuseAsync<TResponse>(
        HttpContext context,
        JsonBody body,
        string teamId,
        string jobPrefix,
        IdempotencyStore store,
        Func<string, bool, CancellationToken, Task<(TResponse? Response, string? Location, IResult? Refusal)>> create,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(create);
        var keys = context.Request.Headers[Header];
        if (keys.Count == 0)
        {
            var (response, location, refusal) = await create(Ids.New(jobPrefix), false, cancellationToken);
            return refusal ?? Created(location!, JsonSerializer.Serialize(response, ApiJson.Options));
        }
        var key = keys.Count == 1 ? keys[0] : null;
        if (string.IsNullOrEmpty(key) || key.Length > IdempotencyStore.MaxKeyLength)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                [Header] = [$"must be one value of 1 to {IdempotencyStore.MaxKeyLength} characters."],
            });
        }

        var claim = await store.ClaimAsync(teamId, key, IdempotencyStore.RequestHash(context.Request, body.Bytes), Ids.New(jobPrefix), cancellationToken);
        switch (claim.Kind)
        {
            case IdempotencyClaimKind.Mismatch:
                return ApiProblems.Unprocessable($"This {Header} was already used with a different request; use a new key for a new request.");
            case IdempotencyClaimKind.InProgress:
                return ApiProblems.Conflict($"A request with this {Header} is still being processed; retry shortly.");
            case IdempotencyClaimKind.Replay:
                context.Response.Headers[ReplayedHeader] = "true";
                return Replay(claim.Entry);
            default:
                try
                {
                    var (response, location, refusal) = await create(claim.Entry.JobId, claim.Resuming, cancellationToken);
                    if (refusal is not null)
                    {
                        await store.ReleaseAsync(claim.Entry, cancellationToken);
                        return refusal;
                    }
                    var json = JsonSerializer.Serialize(response, ApiJson.Options);
                    await store.CompleteAsync(claim.Entry, StatusCodes.Status201Created, json, location, cancellationToken);
                    return Created(location!, json);
                }
                catch (Exception e) when (StorageUnavailable.Is(e, cancellationToken))
                {
                    // Answered 503 with Retry-After: the caller's retry with this key must resume the job, not hear
                    // "still being processed" (409) for the rest of the claim's lease.
                    await store.UnlockAsync(claim.Entry);
                    throw;
                }
        }
    }

    private static IdempotencyRecordedResult Created(string location, string json) => new(StatusCodes.Status201Created, json, location);

    private static IdempotencyRecordedResult Replay(IdempotencyEntity entry) =>
        new(entry.ResponseStatus ?? StatusCodes.Status201Created, entry.ResponseBody ?? "{}", entry.ResponseLocation);
}
