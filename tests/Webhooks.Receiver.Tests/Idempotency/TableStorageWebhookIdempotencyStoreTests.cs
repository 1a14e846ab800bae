using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Receiver.Tests.Support;

namespace Webhooks.Receiver.Tests.Idempotency;

[Collection(AzuriteCollection.Name)]
public sealed class TableStorageWebhookIdempotencyStoreTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 22, 18, 20, 0, TimeSpan.Zero));

    [Fact]
    public async Task TryClaimAsync_TableDoesNotExistYet_CreatesItAndAcquires()
    {
        var table = NewTable();
        var store = new TableStorageWebhookIdempotencyStore(table, _time);

        var result = await store.TryClaimAsync("event_a1b2c3d4e5f6g7h8", Lease, default);

        Assert.Equal(WebhookClaimResult.Acquired, result);
        var rows = table.Query<TableEntity>().ToList();
        Assert.Single(rows);
        Assert.Equal("event_a1b2c3d4e5f6g7h8", rows[0].PartitionKey);
        Assert.Equal("processing", rows[0].GetString("Status"));
    }

    [Fact]
    public async Task TryClaimAsync_ProcessedKey_AlreadyProcessedEvenFromAnotherInstance()
    {
        var table = NewTable();
        var first = new TableStorageWebhookIdempotencyStore(table, _time);
        var second = new TableStorageWebhookIdempotencyStore(NewClientFor(table.Name), _time);
        await first.TryClaimAsync("event_1", Lease, default);
        await first.MarkProcessedAsync("event_1", default);

        var result = await second.TryClaimAsync("event_1", Lease, default);

        Assert.Equal(WebhookClaimResult.AlreadyProcessed, result);
        Assert.Equal("processed", table.GetEntity<TableEntity>("event_1", "receipt").Value.GetString("Status"));
    }

    [Fact]
    public async Task TryClaimAsync_ClaimedKeyWithinLease_InProgress()
    {
        var store = new TableStorageWebhookIdempotencyStore(NewTable(), _time);
        await store.TryClaimAsync("event_1", Lease, default);

        Assert.Equal(WebhookClaimResult.InProgress, await store.TryClaimAsync("event_1", Lease, default));
    }

    [Fact]
    public async Task TryClaimAsync_ClaimedKeyAfterLease_AcquiredOnce()
    {
        var table = NewTable();
        var store = new TableStorageWebhookIdempotencyStore(table, _time);
        await store.TryClaimAsync("event_1", Lease, default);
        _time.Advance(Lease + TimeSpan.FromSeconds(1));

        var takeover = await store.TryClaimAsync("event_1", Lease, default);
        var again = await store.TryClaimAsync("event_1", Lease, default);

        Assert.Equal(WebhookClaimResult.Acquired, takeover);
        Assert.Equal(WebhookClaimResult.InProgress, again);
    }

    [Fact]
    public async Task TryClaimAsync_ReleasedKey_Acquired()
    {
        var store = new TableStorageWebhookIdempotencyStore(NewTable(), _time);
        await store.TryClaimAsync("event_1", Lease, default);
        await store.ReleaseAsync("event_1", default);

        Assert.Equal(WebhookClaimResult.Acquired, await store.TryClaimAsync("event_1", Lease, default));
    }

    [Fact]
    public async Task ReleaseAsync_ProcessedKey_StaysProcessed()
    {
        var store = new TableStorageWebhookIdempotencyStore(NewTable(), _time);
        await store.TryClaimAsync("event_1", Lease, default);
        await store.MarkProcessedAsync("event_1", default);
        await store.ReleaseAsync("event_1", default);

        Assert.Equal(WebhookClaimResult.AlreadyProcessed, await store.TryClaimAsync("event_1", Lease, default));
    }

    [Fact]
    public async Task TryClaimAsync_ConcurrentClaimsOnOneKey_ExactlyOneAcquired()
    {
        var table = NewTable();
        await table.CreateAsync();
        var stores = Enumerable.Range(0, 8).Select(_ => new TableStorageWebhookIdempotencyStore(NewClientFor(table.Name), _time)).ToList();

        var results = await Task.WhenAll(stores.Select(s => s.TryClaimAsync("event_1", Lease, default)));

        Assert.Single(results, r => r == WebhookClaimResult.Acquired);
    }

    [Fact]
    public async Task TryClaimAsync_KeyWithCharactersForbiddenInTableKeys_StoredUnderHash()
    {
        var table = NewTable();
        var store = new TableStorageWebhookIdempotencyStore(table, _time);

        await store.TryClaimAsync("tenant/a#b?c", Lease, default);
        await store.MarkProcessedAsync("tenant/a#b?c", default);

        Assert.Equal(WebhookClaimResult.AlreadyProcessed, await store.TryClaimAsync("tenant/a#b?c", Lease, default));
        var row = Assert.Single(table.Query<TableEntity>());
        Assert.StartsWith("sha256-", row.PartitionKey, StringComparison.Ordinal);
        Assert.Equal("tenant/a#b?c", row.GetString("Key"));
    }

    private TableClient NewTable() => NewClientFor("receipts" + Guid.NewGuid().ToString("N")[..12]);

    private TableClient NewClientFor(string tableName) => new(azurite.ConnectionString, tableName);
}
