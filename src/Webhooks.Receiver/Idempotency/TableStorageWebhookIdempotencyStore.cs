using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace Webhooks.Receiver;

/// <summary>
/// An <see cref="IWebhookIdempotencyStore"/> in Azure Table Storage, shared by every instance of a receiver. A claim is
/// a conditional insert (a <c>409 Conflict</c> means the key is known); an expired claim is taken over with an
/// <c>If-Match</c> update. The table is created on first use if it does not exist.
/// </summary>
/// <remarks>
/// Rows are never deleted by this store once processed: purge rows older than your redelivery horizon with a scheduled
/// job if the table's size matters. Keys that are not valid table keys are stored under their SHA-256.
/// </remarks>
public sealed class TableStorageWebhookIdempotencyStore : IWebhookIdempotencyStore
{
    /// <summary>A table name to use when you have no naming convention: <c>webhookreceipts</c>.</summary>
    public const string DefaultTableName = "webhookreceipts";

    private const int MaxPlainKeyLength = 512;
    private const int MaxClaimRounds = 3;

    private readonly TableClient _table;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a store over a table.</summary>
    /// <param name="table">The receipts table; a thread-safe client shared for the application's lifetime.</param>
    /// <param name="timeProvider">The clock leases are measured with.</param>
    public TableStorageWebhookIdempotencyStore(TableClient table, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _table = table;
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public async Task<WebhookClaimResult> TryClaimAsync(string key, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var partitionKey = ToPartitionKey(key);

        // Each round either decides or observes a row that vanished or changed in between; a few rounds settle it.
        for (var round = 0; round < MaxClaimRounds; round++)
        {
            var now = _timeProvider.GetUtcNow();
            var claim = new WebhookReceiptEntity
            {
                PartitionKey = partitionKey,
                Key = key,
                Status = WebhookReceiptEntity.ProcessingStatus,
                LeaseExpiresAt = now + lease,
            };
            try
            {
                await _table.AddEntityAsync(claim, cancellationToken);
                return WebhookClaimResult.Acquired;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                await _table.CreateIfNotExistsAsync(cancellationToken);
                continue;
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Known key: fall through and look at it.
            }

            var existing = await _table.GetEntityIfExistsAsync<WebhookReceiptEntity>(
                partitionKey, WebhookReceiptEntity.ReceiptRowKey, cancellationToken: cancellationToken);
            if (!existing.HasValue || existing.Value is null)
            {
                continue;
            }

            var row = existing.Value;
            if (row.Status == WebhookReceiptEntity.ProcessedStatus)
            {
                return WebhookClaimResult.AlreadyProcessed;
            }

            if (row.LeaseExpiresAt > now)
            {
                return WebhookClaimResult.InProgress;
            }

            try
            {
                claim.Timestamp = null;
                await _table.UpdateEntityAsync(claim, row.ETag, TableUpdateMode.Replace, cancellationToken);
                return WebhookClaimResult.Acquired;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Another request took the lapsed claim first.
                return WebhookClaimResult.InProgress;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                continue;
            }
        }

        return WebhookClaimResult.InProgress;
    }

    /// <inheritdoc />
    public async Task MarkProcessedAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var row = new WebhookReceiptEntity
        {
            PartitionKey = ToPartitionKey(key),
            Key = key,
            Status = WebhookReceiptEntity.ProcessedStatus,
            ProcessedAt = _timeProvider.GetUtcNow(),
        };
        await _table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var partitionKey = ToPartitionKey(key);
        var existing = await _table.GetEntityIfExistsAsync<WebhookReceiptEntity>(
            partitionKey, WebhookReceiptEntity.ReceiptRowKey, cancellationToken: cancellationToken);
        if (!existing.HasValue || existing.Value is null || existing.Value.Status == WebhookReceiptEntity.ProcessedStatus)
        {
            return;
        }

        try
        {
            // Conditional, so a concurrent "processed" mark is never deleted.
            await _table.DeleteEntityAsync(
                partitionKey, WebhookReceiptEntity.ReceiptRowKey, existing.Value.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Already gone or changed by someone else: nothing of ours to release.
        }
    }

    private static string ToPartitionKey(string key) =>
        key.Length <= MaxPlainKeyLength && !key.Any(IsForbiddenInKey)
            ? key
            : "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    // Table keys may not contain '/', '\', '#', '?' or control characters.
    private static bool IsForbiddenInKey(char c) => c is '/' or '\\' or '#' or '?' || char.IsControl(c);
}
