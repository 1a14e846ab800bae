using Azure.Data.Tables;
using Webhooks.Receiver.Tests.Support;

namespace Webhooks.Receiver.Tests.Idempotency;

/// <summary>The store contract for the table store on Azurite, and its rows: the table made on first use, keys hashed.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableStorageWebhookIdempotencyStoreTests(AzuriteFixture azurite) : WebhookIdempotencyStoreContract
{
    private readonly Dictionary<IWebhookIdempotencyStore, string> _tableOf = [];

    /// <summary>The table exists first, so that concurrent claims race on the claim, not on creating the table.</summary>
    protected override async Task<IWebhookIdempotencyStore> NewStoreAsync()
    {
        var table = NewTable();
        await table.CreateAsync();
        var store = new TableStorageWebhookIdempotencyStore(table, Time);
        _tableOf[store] = table.Name;
        return store;
    }

    /// <summary>A store with a table client of its own on the same table, as another receiver instance has.</summary>
    protected override IWebhookIdempotencyStore SharingWith(IWebhookIdempotencyStore store) =>
        new TableStorageWebhookIdempotencyStore(NewClientFor(_tableOf[store]), Time);

    [Fact]
    public async Task TryClaimAsync_TableDoesNotExistYet_CreatesItWithOneRowPerKey()
    {
        var table = NewTable();
        var store = new TableStorageWebhookIdempotencyStore(table, Time);

        var result = await store.TryClaimAsync("event_a1b2c3d4e5f6g7h8", Lease, default);

        Assert.Equal(WebhookClaimResult.Acquired, result);
        var row = Assert.Single(table.Query<TableEntity>());
        Assert.Equal("event_a1b2c3d4e5f6g7h8", row.PartitionKey);
        Assert.Equal("processing", row.GetString("Status"));
        await store.MarkProcessedAsync("event_a1b2c3d4e5f6g7h8", default);
        Assert.Equal("processed", table.GetEntity<TableEntity>("event_a1b2c3d4e5f6g7h8", "receipt").Value.GetString("Status"));
    }

    [Fact]
    public async Task TryClaimAsync_KeyWithCharactersForbiddenInTableKeys_StoredUnderHash()
    {
        var table = NewTable();
        var store = new TableStorageWebhookIdempotencyStore(table, Time);

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
