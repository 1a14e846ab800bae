using Azure.Data.Tables;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Events;
using Webhooks.Functions.Hosting.Durable;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Delivery;

/// <summary>What happens when the process that was delivering goes away: the engine's history and the table carry on.</summary>
public sealed class DeliveryRecoveryTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Delivery:Policies:standard"] = "0s,2s,300ms",
        ["Delivery:AttemptTimeout"] = "00:00:01",
    };

    [Fact]
    public async Task ProcessRestartMidRetry_NextProcessResumesFromDurableTimer()
    {
        await using var receiver = await WebhookReceiver.StartAsync((n, context) =>
        {
            context.Response.StatusCode = n == 1 ? 500 : 200;
            return Task.CompletedTask;
        });
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        DeliveryEntity delivery;
        await using (var first = await TestApp.StartAsync(Settings, prefix: prefix))
        {
            var raised = await DeliveryTestKit.RaiseAsync(first, await DeliveryTestKit.DevTeamIdAsync(first), receiver.Url);
            delivery = await Eventually.WaitAsync(() => DeliveryTestKit.ReadDeliveryAsync(first, raised.Deliveries[0]), d => d.AttemptsMade == 1);
            Assert.Equal(DeliveryStatus.Pending, delivery.Status);
        }

        await using var second = await TestApp.StartAsync(Settings, prefix: prefix);
        var done = await DeliveryTestKit.WaitForStatusAsync(second, delivery, DeliveryStatus.Delivered);
        Assert.Equal("2/3", done.Attempt);
        Assert.Equal(["1/3", "2/3"], receiver.Received.Select(r => r.Header("X-Webhook-Attempt")));
        Assert.Equal(["1/3", "2/3"], (await DeliveryTestKit.ReadAttemptsAsync(second, delivery)).Select(a => a.Attempt));
    }

    [Fact]
    public async Task CrashAfterCommitBeforeStart_ReplayedCompletionStartsItAndWritesListingRows()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = await TestApp.StartAsync(Settings);
        var raiser = app.Services.GetRequiredService<EventRaiser>();
        var storage = app.Services.GetRequiredService<StorageAccount>();
        var teamId = await DeliveryTestKit.DevTeamIdAsync(app);
        var jobId = Functions.Ids.New("batch");
        var raised = await raiser.PrepareAsync(teamId, jobId, EventTypes.BatchCompleted, EventSamples.BatchCompletedData(jobId, receiver.Url), receiver.Url, default);
        // The crashed process committed the completion and died before starting anything; its work message comes back.
        await storage.Jobs.SubmitTransactionAsync(raised.TransactionActions);
        await raiser.ResumeAsync(jobId, default);

        var delivery = await DeliveryTestKit.WaitForStatusAsync(app, raised.Deliveries[0], DeliveryStatus.Delivered);
        Assert.Equal("1/3", delivery.Attempt);
        Assert.Single(receiver.Received);
        using var client = app.Client();
        var listed = await Eventually.WaitAsync(
            async () => (await (await client.GetAsync($"/v1/events?resource_id={raised.Event.ResourceId}")).AssertJsonAsync(System.Net.HttpStatusCode.OK)).GetProperty("data"),
            data => data.GetArrayLength() == 1, what: "the recovered event in the event list");
        Assert.Equal(raised.Event.EventId, listed[0].GetProperty("id").GetString());
        var deliveries = (await (await client.GetAsync("/v1/deliveries?status=delivered")).AssertJsonAsync(System.Net.HttpStatusCode.OK)).GetProperty("data");
        Assert.Contains(deliveries.EnumerateArray(), d => d.GetProperty("id").GetString() == delivery.DeliveryId);
    }

    [Fact]
    public async Task SecondStartOfDeliveredDelivery_SendsNothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = await TestApp.StartAsync(Settings);
        var raiser = app.Services.GetRequiredService<EventRaiser>();
        var orchestrations = app.Services.GetRequiredService<IDeliveryOrchestrations>();
        var jobId = Functions.Ids.New("batch");
        var raised = await DeliveryTestKit.RaiseAsync(app, await DeliveryTestKit.DevTeamIdAsync(app), receiver.Url, jobId: jobId);
        await DeliveryTestKit.WaitForStatusAsync(app, raised.Deliveries[0], DeliveryStatus.Delivered);

        // Started again under the same id, directly and through a replayed completion: Durable would restart a
        // completed instance unless told not to.
        await orchestrations.StartDeliveriesAsync([DeliveryInput.For(raised.Deliveries[0])], default);
        await raiser.ResumeAsync(jobId, default);
        // A later delivery to the same receiver, once it has arrived, shows the engine has worked through the starts.
        var later = await DeliveryTestKit.RaiseAsync(app, await DeliveryTestKit.DevTeamIdAsync(app), receiver.Url);
        await DeliveryTestKit.WaitForStatusAsync(app, later.Deliveries[0], DeliveryStatus.Delivered);

        Assert.Single(receiver.Received, r => r.Header("X-Webhook-Delivery-Id") == raised.Deliveries[0].DeliveryId);
        Assert.Single(await DeliveryTestKit.ReadAttemptsAsync(app, raised.Deliveries[0]));
    }

    [Fact]
    public async Task CompletionReplayedAfterCrash_ResumeDeliversOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = await TestApp.StartAsync(Settings);
        var raiser = app.Services.GetRequiredService<EventRaiser>();
        var storage = app.Services.GetRequiredService<StorageAccount>();
        var jobId = Functions.Ids.New("batch");
        var raised = await raiser.PrepareAsync(await DeliveryTestKit.DevTeamIdAsync(app), jobId, EventTypes.BatchCompleted, EventSamples.BatchCompletedData(jobId, receiver.Url), receiver.Url, default);
        await storage.Jobs.SubmitTransactionAsync(raised.TransactionActions);

        // The process died right after the completion commit; the work message comes back, finds the job complete,
        // and resumes — twice here, as a duplicated message would.
        await raiser.ResumeAsync(jobId, default);
        await raiser.ResumeAsync(jobId, default);

        await DeliveryTestKit.WaitForStatusAsync(app, raised.Deliveries[0], DeliveryStatus.Delivered);
        // The two starts went to the control queue before the first was handled; once the orchestration has ended, a
        // second run from the repeated start would have sent its attempt already.
        Assert.Equal("Completed", await DurableStatus.WaitForEndAsync(app, raised.Deliveries[0].DeliveryId));
        Assert.Single(receiver.Received);
        Assert.Single(await DeliveryTestKit.ReadAttemptsAsync(app, raised.Deliveries[0]));
    }

    [Fact]
    public async Task RedeliveryCommittedButNeverStarted_SweeperStartsIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = await TestApp.StartAsync(Settings);
        var raiser = app.Services.GetRequiredService<EventRaiser>();
        var storage = app.Services.GetRequiredService<StorageAccount>();
        var jobId = Functions.Ids.New("batch");
        var raised = await raiser.PrepareAsync(await DeliveryTestKit.DevTeamIdAsync(app), jobId, EventTypes.BatchCompleted, EventSamples.BatchCompletedData(jobId, receiver.Url), receiver.Url, default);
        // A delivery whose row was committed long enough ago, by a process that died before starting its orchestration.
        var longAgo = TimeProvider.System.GetUtcNow() - StalledDeliverySweep.Grace - TimeSpan.FromMinutes(1);
        raised.Deliveries[0].CreatedAt = longAgo;
        raised.Deliveries[0].NextAttemptAt = longAgo;
        await storage.Jobs.SubmitTransactionAsync(raised.TransactionActions);

        await app.Services.GetRequiredService<Functions.Hosting.Sweeper>().RunAsync(default);

        await DeliveryTestKit.WaitForStatusAsync(app, raised.Deliveries[0], DeliveryStatus.Delivered);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task OrchestrationTerminatedWhileItsRetryWaits_SweeperStartsItAfresh_SendingOnlyTheNextAttempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync((n, context) =>
        {
            context.Response.StatusCode = n == 1 ? 500 : 200;
            return Task.CompletedTask;
        });
        // Attempt 2 an hour after attempt 1: the orchestration is waiting on its timer when it is terminated.
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>(Settings) { ["Delivery:Policies:standard"] = "0s,1h,1s" });
        var engine = app.Services.GetRequiredService<StandaloneDurableEngine>();
        var storage = app.Services.GetRequiredService<StorageAccount>();
        var raised = await DeliveryTestKit.RaiseAsync(app, await DeliveryTestKit.DevTeamIdAsync(app), receiver.Url);
        var waiting = await Eventually.WaitAsync(() => DeliveryTestKit.ReadDeliveryAsync(app, raised.Deliveries[0]), d => d.AttemptsMade == 1);

        // An operator (or a fault outside our code) ends the orchestration: the delivery row stays pending.
        var hub = app.Services.GetRequiredService<IOptions<DurableOptions>>().Value
            .TaskHubFor(app.Services.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix);
        var operatorClient = new TaskHubClient(new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = hub,
            StorageAccountClientProvider = storage.DurableClientProvider(),
        }));
        await operatorClient.TerminateInstanceAsync(new OrchestrationInstance { InstanceId = waiting.DeliveryId }, "ended by hand");
        await Eventually.WaitAsync(() => engine.GetRuntimeStatusAsync(waiting.DeliveryId), status => status == "Terminated");

        // Its next attempt is long overdue by the time the sweeper looks.
        waiting = await DeliveryTestKit.ReadDeliveryAsync(app, raised.Deliveries[0]);
        waiting.NextAttemptAt = TimeProvider.System.GetUtcNow() - StalledDeliverySweep.Grace - TimeSpan.FromMinutes(1);
        await storage.Jobs.UpdateEntityAsync(waiting, waiting.ETag, TableUpdateMode.Replace);
        await app.Services.GetRequiredService<Functions.Hosting.Sweeper>().RunAsync(default);

        var done = await DeliveryTestKit.WaitForStatusAsync(app, raised.Deliveries[0], DeliveryStatus.Delivered);
        Assert.Equal("2/3", done.Attempt);
        Assert.Equal(["1/3", "2/3"], receiver.Received.Select(r => r.Header("X-Webhook-Attempt")));
        Assert.Equal(["1/3", "2/3"], (await DeliveryTestKit.ReadAttemptsAsync(app, raised.Deliveries[0])).Select(a => a.Attempt));
        await Eventually.WaitAsync(() => engine.GetRuntimeStatusAsync(waiting.DeliveryId), status => status == "Completed");
    }
}
