using Microsoft.Extensions.Time.Testing;

namespace Webhooks.Receiver.Tests.Idempotency;

/// <summary>
/// What every <see cref="IWebhookIdempotencyStore"/> promises, run once for each store by a derived class that says how
/// to make one. What only one store has (the in-memory store's bounds, the table's rows) stays in that derived class.
/// </summary>
public abstract class WebhookIdempotencyStoreContract
{
    protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 1, 22, 18, 20, 0, TimeSpan.Zero));

    /// <summary>A store on storage of its own, empty, whose clock is <see cref="Time"/>.</summary>
    protected abstract Task<IWebhookIdempotencyStore> NewStoreAsync();

    /// <summary>
    /// Another store on the same storage as <paramref name="store"/>, as another instance of the receiver would have
    /// it; the in-memory store is shared only within its process, so it is the store itself.
    /// </summary>
    protected abstract IWebhookIdempotencyStore SharingWith(IWebhookIdempotencyStore store);

    [Fact]
    public async Task TryClaimAsync_NewKey_Acquired()
    {
        var store = await NewStoreAsync();

        Assert.Equal(WebhookClaimResult.Acquired, await store.TryClaimAsync("event_1", Lease, default));
    }

    [Fact]
    public async Task TryClaimAsync_ProcessedKey_AlreadyProcessedEvenFromAnotherInstance()
    {
        var first = await NewStoreAsync();
        var second = SharingWith(first);
        await first.TryClaimAsync("event_1", Lease, default);
        await first.MarkProcessedAsync("event_1", default);

        Assert.Equal(WebhookClaimResult.AlreadyProcessed, await second.TryClaimAsync("event_1", Lease, default));
        Assert.Equal(WebhookClaimResult.AlreadyProcessed, await first.TryClaimAsync("event_1", Lease, default));
    }

    [Fact]
    public async Task TryClaimAsync_ClaimedKeyWithinLease_InProgress()
    {
        var store = await NewStoreAsync();
        await store.TryClaimAsync("event_1", Lease, default);

        Assert.Equal(WebhookClaimResult.InProgress, await store.TryClaimAsync("event_1", Lease, default));
    }

    [Fact]
    public async Task TryClaimAsync_ClaimedKeyAfterLease_AcquiredOnce()
    {
        var store = await NewStoreAsync();
        await store.TryClaimAsync("event_1", Lease, default);
        Time.Advance(Lease + TimeSpan.FromSeconds(1));

        var takeover = await store.TryClaimAsync("event_1", Lease, default);
        var again = await store.TryClaimAsync("event_1", Lease, default);

        Assert.Equal(WebhookClaimResult.Acquired, takeover);
        Assert.Equal(WebhookClaimResult.InProgress, again);
    }

    [Fact]
    public async Task TryClaimAsync_ReleasedKey_Acquired()
    {
        var store = await NewStoreAsync();
        await store.TryClaimAsync("event_1", Lease, default);
        await store.ReleaseAsync("event_1", default);

        Assert.Equal(WebhookClaimResult.Acquired, await store.TryClaimAsync("event_1", Lease, default));
    }

    [Fact]
    public async Task ReleaseAsync_ProcessedKey_StaysProcessed()
    {
        var store = await NewStoreAsync();
        await store.TryClaimAsync("event_1", Lease, default);
        await store.MarkProcessedAsync("event_1", default);
        await store.ReleaseAsync("event_1", default);

        Assert.Equal(WebhookClaimResult.AlreadyProcessed, await store.TryClaimAsync("event_1", Lease, default));
    }

    [Fact]
    public async Task TryClaimAsync_ConcurrentClaimsOnOneKey_ExactlyOneAcquired()
    {
        var first = await NewStoreAsync();
        var stores = Enumerable.Range(0, 16).Select(i => i == 0 ? first : SharingWith(first)).ToList();

        var results = await Task.WhenAll(stores.Select(s => Task.Run(() => s.TryClaimAsync("event_1", Lease, default))));

        Assert.Single(results, r => r == WebhookClaimResult.Acquired);
    }
}
