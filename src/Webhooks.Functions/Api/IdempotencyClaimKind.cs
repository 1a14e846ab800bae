namespace Webhooks.Functions.Api;

internal enum IdempotencyClaimKind
{
    /// <summary>Create the job named in the entry, then record the answer.</summary>
    Proceed,

    /// <summary>Answer with the recorded response; create nothing.</summary>
    Replay,

    /// <summary>The key was used for a different request: 422.</summary>
    Mismatch,

    /// <summary>The first request with this key is still running: 409, retry later.</summary>
    InProgress,
}
