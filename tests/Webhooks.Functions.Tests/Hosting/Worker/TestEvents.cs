using Webhooks.Functions.Delivery;
using Webhooks.Functions.Events;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Teams;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Hosting.Worker;

/// <summary>Raises a completion event of the dev team the way the job engine does: prepare, commit, publish.</summary>
internal static class TestEvents
{
    /// <param name="beforeCommit">Changes the prepared rows before they are written (to simulate a lost timer, say).</param>
    /// <param name="publish">False leaves the committed event unpublished, as a crash right after the commit would.</param>
    public static async Task<RaisedEvent> RaiseAsync(IServiceProvider services, string webhookUrl, Action<RaisedEvent>? beforeCommit = null, bool publish = true)
    {
        var teamId = await services.GetRequiredService<TeamStore>().FindTeamIdByApiKeyAsync(TestApp.DevApiKey, CancellationToken.None)
            ?? throw new InvalidOperationException("The dev team was not seeded.");
        var raiser = services.GetRequiredService<EventRaiser>();
        var jobId = Ids.New("batch");
        var raised = await raiser.PrepareAsync(teamId, jobId, EventTypes.BatchCompleted,
            EventSamples.BatchCompletedData(jobId, webhookUrl), webhookUrl, CancellationToken.None);
        beforeCommit?.Invoke(raised);
        await services.GetRequiredService<StorageAccount>().Jobs.SubmitTransactionAsync(raised.TransactionActions.ToList());
        if (publish)
        {
            await raiser.PublishAsync(raised, CancellationToken.None);
        }
        return raised;
    }

    public static async Task<DeliveryEntity> ReadDeliveryAsync(IServiceProvider services, DeliveryEntity delivery) =>
        await services.GetRequiredService<StorageAccount>().Jobs
            .GetEntityAsync<DeliveryEntity>(delivery.PartitionKey, delivery.RowKey);
}
