using Azure.Data.Tables;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Events;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Delivery;

/// <summary>Raises completion events the way the job engine does, and reads what the orchestration recorded.</summary>
internal static class DeliveryTestKit
{
    public static async Task<string> DevTeamIdAsync(TestApp app)
    {
        using var client = app.Client();
        var team = await (await client.GetAsync("/v1/team")).AssertJsonAsync(System.Net.HttpStatusCode.OK);
        return team.GetProperty("id").GetString()!;
    }

    /// <summary>Completion transaction (event + first delivery), then publish: exactly the job engine's sequence.</summary>
    public static async Task<RaisedEvent> RaiseAsync(
        TestApp app, string teamId, string? webhook, string? dataJson = null, string? jobId = null, string eventType = EventTypes.BatchCompleted)
    {
        var raiser = app.Services.GetRequiredService<EventRaiser>();
        var storage = app.Services.GetRequiredService<StorageAccount>();
        jobId ??= Functions.Ids.New("batch");
        dataJson ??= EventSamples.BatchCompletedData(jobId, webhook);
        var raised = await raiser.PrepareAsync(teamId, jobId, eventType, dataJson, webhook, CancellationToken.None);
        await storage.Jobs.SubmitTransactionAsync(raised.TransactionActions);
        await raiser.PublishAsync(raised, CancellationToken.None);
        return raised;
    }

    /// <summary>
    /// The runtime status in the task hub's Instances table, read with a client of its own so that a test counting the
    /// app's storage operations does not count its own reads.
    /// </summary>
    public static async Task<string?> OrchestrationStatusAsync(TestApp app, string instanceId)
    {
        var instances = new TableServiceClient(app.ConnectionString).GetTableClient(app.Prefix + "webhooksInstances");
        var row = await instances.GetEntityIfExistsAsync<TableEntity>(instanceId, "");
        return row.HasValue ? row.Value!.GetString("RuntimeStatus") : null;
    }

    public static TableClient JobsTable(TestApp app) => new TableServiceClient(app.ConnectionString).GetTableClient(app.Prefix + StorageNames.JobsTable);

    public static async Task<DeliveryEntity> ReadDeliveryAsync(TestApp app, DeliveryEntity delivery) =>
        (await JobsTable(app).GetEntityAsync<DeliveryEntity>(delivery.PartitionKey, delivery.RowKey)).Value;

    public static Task<DeliveryEntity> WaitForStatusAsync(TestApp app, DeliveryEntity delivery, string status, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(() => ReadDeliveryAsync(app, delivery), d => d.Status == status, timeout, $"delivery {delivery.DeliveryId} to be {status}");

    public static async Task<List<AttemptEntity>> ReadAttemptsAsync(TestApp app, DeliveryEntity delivery)
    {
        var prefix = AttemptEntity.RowPrefixFor(delivery.DeliveryId);
        var attempts = new List<AttemptEntity>();
        await foreach (var attempt in JobsTable(app).QueryAsync<AttemptEntity>(
            a => a.PartitionKey == delivery.PartitionKey && a.RowKey.CompareTo(prefix) >= 0 && a.RowKey.CompareTo(prefix + KeyRange.End) < 0))
        {
            attempts.Add(attempt);
        }
        return attempts;
    }
}
