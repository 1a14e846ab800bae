namespace Webhooks.Functions.Api;

/// <summary>What a request carrying an <c>Idempotency-Key</c> may do.</summary>
internal sealed record IdempotencyClaim(IdempotencyClaimKind Kind, IdempotencyEntity Entry)
{
    /// <summary>True when an earlier request reserved the key and died: create (or finish) <see cref="IdempotencyEntity.JobId"/>.</summary>
    public bool Resuming { get; init; }
}
