using System.Net;
using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Testing;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Events;
using Webhooks.Functions.Hosting.Worker;
using Webhooks.Functions.Jobs;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Hosting.Worker;

/// <summary>
/// The queue and timer functions called as the Functions host calls them, with messages received from Azurite: nothing
/// but these invocations moves a job or a delivery forward, since the worker has no poller or timer of its own.
/// </summary>
public sealed class WorkerQueueAndTimerFunctionsTests
{
    [Fact]
    public async Task Batch_DrivenOnlyThroughFunctions_CompletesAndItsDeliveryOrchestrationDeliversOnRetry()
    {
        await using var worker = await WorkerTestHost.StartAsync();
        await using var durable = await StartDurableAsync(worker);
        var api = worker.Function<ApiFunctions>();
        var queues = worker.Function<QueueFunctions>();
        var jobs = new HostQueue(worker, StorageNames.JobsQueue);
        await using var site = await Infrastructure.LocalServer.StartAsync(c => c.Response.WriteAsync($"<html><title>{c.Request.Path}</title></html>"));
        await using var receiver = await RecordingReceiver.StartAsync(n => n == 1 ? 500 : 200);

        var created = await WorkerTestHost.InvokeAsync(api.CreateBatch, worker.Request(HttpMethod.Post, "/v1/batches",
            json: $$"""{"items":[{"url":"{{site.Url("/a")}}"},{"url":"{{site.Url("/b")}}"}],"webhook":"{{receiver.Url}}"}"""));
        Assert.True(created.Status == HttpStatusCode.Created, created.Body);
        var batchId = created.Json().GetProperty("id").GetString()!;

        // The host's jobs trigger: every message of this batch, until the API reports the batch complete.
        var status = "";
        var started = TimeProvider.System.GetTimestamp();
        while (status != "completed")
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(60), $"Batch still {status}");
            await jobs.InvokeAsync((m, ct) => queues.JobsAsync(m, durable.Client, ct), await jobs.ReceiveAsync(batchId));
            var current = await WorkerTestHost.InvokeAsync(api.GetBatch, worker.Request(HttpMethod.Get, "/v1/batches/" + batchId));
            status = current.Json().GetProperty("status").GetString()!;
        }

        // The completion started the delivery's orchestration through the function's Durable client: attempt 1 fails,
        // a durable timer later attempt 2 succeeds, and the instance ends with the delivery's status.
        var deliveryId = Functions.Ids.Derived("dlv", EventRaiser.EventIdForJob(batchId) + "/first");
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var instance = await durable.Client.WaitForInstanceCompletionAsync(deliveryId, getInputsAndOutputs: true, wait.Token);
        Assert.Equal(DeliveryStatus.Delivered, instance.ReadOutputAs<string>());
        Assert.Equal("2/3", instance.SerializedCustomStatus?.Trim('"'));
        Assert.Equal(["1/3", "2/3"], receiver.Attempts);
    }

    [Fact]
    public async Task SweeperFunction_RedeliveryCommittedButNeverStarted_IsStartedThroughItsDurableClient()
    {
        await using var worker = await WorkerTestHost.StartAsync();
        await using var durable = await StartDurableAsync(worker);
        await using var receiver = await RecordingReceiver.StartAsync(_ => 200);
        var longAgo = TimeProvider.System.GetUtcNow() - TimeSpan.FromHours(1);

        // Committed an hour ago and never started: only the sweeper can find it.
        var raised = await TestEvents.RaiseAsync(worker.Services, receiver.Url, r => { r.Deliveries[0].CreatedAt = longAgo; r.Deliveries[0].NextAttemptAt = longAgo; }, publish: false);
        var delivery = Assert.Single(raised.Deliveries);

        await worker.Function<SweeperFunction>().RunAsync(new TimerInfo { IsPastDue = true }, durable.Client, CancellationToken.None);

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await durable.Client.WaitForInstanceCompletionAsync(delivery.DeliveryId, wait.Token);
        Assert.Equal(["1/3"], receiver.Attempts);
        Assert.Equal(DeliveryStatus.Delivered, (await TestEvents.ReadDeliveryAsync(worker.Services, delivery)).Status);
    }

    [Fact]
    public async Task SweeperFunction_OrchestrationTerminatedWhileItsRetryWaits_IsStartedAfresh_SendingOnlyTheNextAttempt()
    {
        // Attempt 2 an hour after attempt 1: the orchestration is waiting on its timer when it is terminated.
        await using var worker = await WorkerTestHost.StartAsync(new Dictionary<string, string?> { ["Delivery:Policies:standard"] = "0s,1h,1s" });
        await using var durable = await StartDurableAsync(worker);
        await using var receiver = await RecordingReceiver.StartAsync(n => n == 1 ? 500 : 200);
        var overdue = () => TimeProvider.System.GetUtcNow() - StalledDeliverySweep.Grace - TimeSpan.FromMinutes(1);
        var raised = await TestEvents.RaiseAsync(worker.Services, receiver.Url, r => r.Deliveries[0].NextAttemptAt = overdue(), publish: false);
        var delivery = Assert.Single(raised.Deliveries);
        var sweeper = worker.Function<SweeperFunction>();

        await sweeper.RunAsync(new TimerInfo(), durable.Client, CancellationToken.None);
        var waiting = await Eventually.WaitAsync(() => TestEvents.ReadDeliveryAsync(worker.Services, delivery), d => d.AttemptsMade == 1);
        await durable.Client.TerminateInstanceAsync(delivery.DeliveryId, "ended by hand");
        using (var terminated = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            var ended = await durable.Client.WaitForInstanceCompletionAsync(delivery.DeliveryId, terminated.Token);
            Assert.Equal(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Terminated, ended.RuntimeStatus);
        }

        // Still pending, and its next attempt long overdue by the time the sweeper looks again.
        waiting.NextAttemptAt = overdue();
        await worker.Services.GetRequiredService<StorageAccount>().Jobs.UpdateEntityAsync(waiting, waiting.ETag, TableUpdateMode.Replace);
        await sweeper.RunAsync(new TimerInfo(), durable.Client, CancellationToken.None);

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var instance = await durable.Client.WaitForInstanceCompletionAsync(delivery.DeliveryId, getInputsAndOutputs: true, wait.Token);
        Assert.Equal(DeliveryStatus.Delivered, instance.ReadOutputAs<string>());
        Assert.Equal(["1/3", "2/3"], receiver.Attempts);
        Assert.Equal("2/3", (await TestEvents.ReadDeliveryAsync(worker.Services, delivery)).Attempt);
    }

    [Fact]
    public async Task SweeperFunction_TeamDeletedWhileItsRetryWaits_TerminatesAndPurgesTheOrchestrationThroughItsDurableClient()
    {
        // The dev team's policy, with attempt 2 an hour after attempt 1: the orchestration waits on its timer when erased.
        await using var worker = await WorkerTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Delivery:Policies:standard"] = "0s,1h,1s",
            ["Delivery:DefaultPolicy"] = "standard",
        });
        await using var durable = await StartDurableAsync(worker);
        await using var receiver = await RecordingReceiver.StartAsync(_ => 500);
        // Started by the sweeper function, the only one here with a Durable client: committed a while ago, never started.
        var longAgo = TimeProvider.System.GetUtcNow() - TimeSpan.FromHours(1);
        var raised = await TestEvents.RaiseAsync(worker.Services, receiver.Url, r => { r.Deliveries[0].CreatedAt = longAgo; r.Deliveries[0].NextAttemptAt = longAgo; }, publish: false);
        var delivery = Assert.Single(raised.Deliveries);
        var sweeper = worker.Function<SweeperFunction>();
        await sweeper.RunAsync(new TimerInfo(), durable.Client, CancellationToken.None);
        await Eventually.WaitAsync(() => TestEvents.ReadDeliveryAsync(worker.Services, delivery), d => d.AttemptsMade == 1);

        var deleted = await WorkerTestHost.InvokeAsync(worker.Function<ApiFunctions>().DeleteTeam,
            worker.Request(HttpMethod.Delete, "/v1/admin/teams/" + delivery.TeamId, TestApp.AdminKey));
        Assert.Equal(HttpStatusCode.Accepted, deleted.Status);
        var jobs = worker.Services.GetRequiredService<StorageAccount>().Jobs;
        await Eventually.WaitAsync(async () =>
        {
            await sweeper.RunAsync(new TimerInfo(), durable.Client, CancellationToken.None);
            var rows = 0;
            await foreach (var _ in jobs.QueryAsync<TableEntity>(e => e.PartitionKey == delivery.PartitionKey))
            {
                rows++;
            }
            return (Instance: await durable.Client.GetInstanceAsync(delivery.DeliveryId), Rows: rows);
        }, state => state.Instance is null && state.Rows == 0, TimeSpan.FromSeconds(60), "the team's delivery and orchestration to be erased");
        Assert.Equal(["1/3"], receiver.Attempts);
    }

    /// <summary>
    /// A real Durable Task engine in this process (the in-memory backend behind the SDK's gRPC sidecar, where the
    /// Functions host's Durable extension would be in Azure), running the worker's own orchestration and activity.
    /// </summary>
    private static Task<DurableTaskTestHost> StartDurableAsync(WorkerTestHost worker) =>
        InProcessDurable.StartAsync(registry => registry
            .AddOrchestrator(DeliverWebhookOrchestrator.Name, () => new DeliverWebhookOrchestrator())
            .AddActivity(DeliveryAttemptActivity.Name, worker.Services.GetRequiredService<DeliveryAttemptActivity>())
            .AddActivity(DeliveryExhaustedActivity.Name, worker.Services.GetRequiredService<DeliveryExhaustedActivity>()));

    [Fact]
    public async Task JobWhoseMessageWentToPoison_IsEnqueuedAgainByTheSweeperFunction_AndCompletes()
    {
        await using var worker = await WorkerTestHost.StartAsync(new Dictionary<string, string?> { ["Jobs:StallTimeout"] = "00:00:01" });
        var api = worker.Function<ApiFunctions>();
        var queues = worker.Function<QueueFunctions>();
        var jobs = new HostQueue(worker, StorageNames.JobsQueue);
        var poison = new HostQueue(worker, StorageNames.JobsQueue + StorageNames.PoisonSuffix);
        await using var site = await Infrastructure.LocalServer.StartAsync(c => c.Response.WriteAsync("<html><title>ok</title></html>"));

        var created = await WorkerTestHost.InvokeAsync(api.CreateBatch, worker.Request(HttpMethod.Post, "/v1/batches",
            json: $$"""{"items":[{"url":"{{site.Url("/only")}}"}]}"""));
        var batchId = created.Json().GetProperty("id").GetString()!;

        // What the host does once the message failed maxDequeueCount times: a copy to <queue>-poison, the original deleted.
        var failing = await jobs.ReceiveAsync(batchId);
        await poison.Client.SendMessageAsync(failing.MessageText);
        await jobs.Client.DeleteMessageAsync(failing.MessageId, failing.PopReceipt);
        await WaitForStallAsync(worker, batchId);

        await using (var durable = await StartDurableAsync(worker))
        {
            await worker.Function<SweeperFunction>().RunAsync(new TimerInfo(), durable.Client, CancellationToken.None);
        }

        await using (var durable = await StartDurableAsync(worker))
        {
            await jobs.InvokeAsync((m, ct) => queues.JobsAsync(m, durable.Client, ct), await jobs.ReceiveAsync(batchId));
        }
        var batch = await WorkerTestHost.InvokeAsync(api.GetBatch, worker.Request(HttpMethod.Get, "/v1/batches/" + batchId));
        Assert.Equal("completed", batch.Json().GetProperty("status").GetString());
        Assert.Equal(1, batch.Json().GetProperty("items_completed").GetInt32());
        // The poisoned copy stays where the host put it, for an operator to look at; the sweep does not consume it.
        Assert.Single((await poison.Client.PeekMessagesAsync(32)).Value);
    }

    /// <summary>Waits (bounded) until the job's last progress is older than its one-second stall timeout.</summary>
    private static async Task WaitForStallAsync(WorkerTestHost worker, string jobId)
    {
        var table = worker.Services.GetRequiredService<StorageAccount>().Jobs;
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var job = (await table.GetEntityAsync<TableEntity>(jobId, JobRows.Job)).Value;
            if (job.GetDateTimeOffset("LastProgressAt") is { } last && TimeProvider.System.GetUtcNow() - last > TimeSpan.FromSeconds(2))
            {
                return;
            }
            Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(20), "The job never looked stalled.");
            await Task.Delay(200);
        }
    }
}
