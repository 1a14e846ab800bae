using Microsoft.Extensions.Time.Testing;

namespace Webhooks.Receiver.Tests.Idempotency;

public sealed class InMemoryWebhookIdempotencyStoreTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 22, 18, 20, 0, TimeSpan.Zero));

    [Fact]
    public async Task TryClaimAsync_NewKey_Acquired()
    {
        var store = new InMemoryWebhookIdempotencyStore(_time);

        Assert.Equal(WebhookClaimResult.Acquired, await store.TryClaimAsync("event_1", Lease, default));
    }

    [Fact]
    public async Task TryClaimAsync_ProcessedKey_AlreadyProcessed()
    {
        var store = new InMemoryWebhookIdempotencyStore(_time);
        await store.TryClaimAsync("event_1", Lease, default);
        await store.MarkProcessedAsync("event_1", default);

        Assert.Equal(WebhookClaimResult.AlreadyProcessed, await store.TryClaimAsync("event_1", Lease, default));
    }

    [Fact]
    public async Task TryClaimAsync_ClaimedKeyWithinLease_InProgress()
    {
        var store = new InMemoryWebhookIdempotencyStore(_time);
        await store.TryClaimAsync("event_1", Lease, default);

        Assert.Equal(WebhookClaimResult.InProgress, await store.TryClaimAsync("event_1", Lease, default));
    }

    [Fact]
    public async Task TryClaimAsync_ClaimedKeyAfterLease_Acquired()
    {
        var store = new InMemoryWebhookIdempotencyStore(_time);
        await store.TryClaimAsync("event_1", Lease, default);
        _time.Advance(Lease + TimeSpan.FromSeconds(1));

        Assert.Equal(WebhookClaimResult.Acquired, await store.TryClaimAsync("event_1", Lease, default));
    }

    [Fact]
    public async Task TryClaimAsync_ReleasedKey_Acquired()
    {
        var store = new InMemoryWebhookIdempotencyStore(_time);
        await store.TryClaimAsync("event_1", Lease, default);
        await store.ReleaseAsync("event_1", default);

        Assert.Equal(WebhookClaimResult.Acquired, await store.TryClaimAsync("event_1", Lease, default));
    }

    [Fact]
    public async Task ReleaseAsync_ProcessedKey_StaysProcessed()
    {
        var store = new InMemoryWebhookIdempotencyStore(_time);
        await store.TryClaimAsync("event_1", Lease, default);
        await store.MarkProcessedAsync("event_1", default);
        await store.ReleaseAsync("event_1", default);

        Assert.Equal(WebhookClaimResult.AlreadyProcessed, await store.TryClaimAsync("event_1", Lease, default));
    }

    [Fact]
    public async Task TryClaimAsync_ProcessedKeyPastRetention_AcquiredAndOldEntriesSwept()
    {
        var store = new InMemoryWebhookIdempotencyStore(_time) { Retention = TimeSpan.FromHours(1) };
        for (var i = 0; i < 10; i++)
        {
            await store.TryClaimAsync($"event_{i}", Lease, default);
            await store.MarkProcessedAsync($"event_{i}", default);
        }

        _time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        Assert.Equal(WebhookClaimResult.Acquired, await store.TryClaimAsync("event_0", Lease, default));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task TryClaimAsync_StoreAtCapacity_ForgetsOldestKeyAndStaysBounded()
    {
        var store = new InMemoryWebhookIdempotencyStore(_time) { Capacity = 3 };
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
    public async Task TryClaimAsync_ConcurrentClaimsOnOneKey_ExactlyOneAcquired()
    {
        var store = new InMemoryWebhookIdempotencyStore(_time);

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => store.TryClaimAsync("event_1", Lease, default))));

        Assert.Single(results, r => r == WebhookClaimResult.Acquired);
    }

    [Fact]
    public void Capacity_Zero_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryWebhookIdempotencyStore(_time) { Capacity = 0 });
    }
}
