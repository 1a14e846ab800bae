namespace Webhooks.Receiver.Tests.Idempotency;

/// <summary>The store contract for the in-memory store, and its bounds: retention and capacity.</summary>
public sealed class InMemoryWebhookIdempotencyStoreTests : WebhookIdempotencyStoreContract
{
    protected override Task<IWebhookIdempotencyStore> NewStoreAsync() =>
        Task.FromResult<IWebhookIdempotencyStore>(new InMemoryWebhookIdempotencyStore(Time));

    protected override IWebhookIdempotencyStore SharingWith(IWebhookIdempotencyStore store) => store;

    [Fact]
    public async Task TryClaimAsync_ProcessedKeyPastRetention_AcquiredAndOldEntriesSwept()
    {
        var store = new InMemoryWebhookIdempotencyStore(Time) { Retention = TimeSpan.FromHours(1) };
        for (var i = 0; i < 10; i++)
        {
            await store.TryClaimAsync($"event_{i}", Lease, default);
            await store.MarkProcessedAsync($"event_{i}", default);
        }

        Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        Assert.Equal(WebhookClaimResult.Acquired, await store.TryClaimAsync("event_0", Lease, default));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task TryClaimAsync_StoreAtCapacity_ForgetsOldestKeyAndStaysBounded()
    {
        var store = new InMemoryWebhookIdempotencyStore(Time) { Capacity = 3 };
        foreach (var key in new[] { "event_a", "event_b", "event_c", "event_d" })
        {
            await store.TryClaimAsync(key, Lease, default);
            await store.MarkProcessedAsync(key, default);
        }

        Assert.Equal(3, store.Count);
        Assert.Equal(WebhookClaimResult.AlreadyProcessed, await store.TryClaimAsync("event_d", Lease, default));
        Assert.Equal(WebhookClaimResult.Acquired, await store.TryClaimAsync("event_a", Lease, default));
    }

    [Fact]
    public void Capacity_Zero_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryWebhookIdempotencyStore(Time) { Capacity = 0 });
    }
}
