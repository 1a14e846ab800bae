using System.Net;
using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Hosting.Worker;
using Webhooks.Functions.Jobs;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Tests.Hosting.Worker;

/// <summary>
/// The queue and timer functions called as the Functions host calls them, with messages received from Azurite: nothing
/// but these invocations moves a job or a delivery forward, since the worker has no poller or timer of its own.
/// </summary>
public sealed class WorkerQueueAndTimerFunctionsTests
{
    [Fact]
    public async Task Batch_DrivenOnlyThroughFunctions_CompletesAndItsWebhookIsDeliveredOnRetry()
    {
        await using var worker = await WorkerTestHost.StartAsync();
        var api = worker.Function<ApiFunctions>();
        var queues = worker.Function<QueueFunctions>();
        var jobs = new HostQueue(worker, StorageNames.JobsQueue);
        var deliveries = new HostQueue(worker, StorageNames.DeliveriesQueue);
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
            await jobs.InvokeAsync(queues.JobsAsync, await jobs.ReceiveAsync(batchId));
            var current = await WorkerTestHost.InvokeAsync(api.GetBatch, worker.Request(HttpMethod.Get, "/v1/batches/" + batchId));
            status = current.Json().GetProperty("status").GetString()!;
        }

        // Attempt 1 runs at completion and fails; attempt 2 waits in the deliveries queue for the host to bring it.
        await receiver.WaitForAsync(1);
        var retry = await deliveries.ReceiveAsync(batchId);
        Assert.Equal(1, retry.DequeueCount);
        await deliveries.InvokeAsync(queues.DeliveriesAsync, retry);
        Assert.Equal(["1/3", "2/3"], receiver.Attempts);
    }

    [Fact]
    public async Task SweeperFunction_DeliveryWithLostTimer_IsRearmedAndDeliveredThroughTheDeliveriesFunction()
    {
        await using var worker = await WorkerTestHost.StartAsync();
        var queues = worker.Function<QueueFunctions>();
        var deliveries = new HostQueue(worker, StorageNames.DeliveriesQueue);
        await using var receiver = await RecordingReceiver.StartAsync(_ => 200);
        var lostAt = TimeProvider.System.GetUtcNow() - TimeSpan.FromHours(1);

        // Committed an hour ago and never published: no guard, no timer, no attempt. Only the sweeper can find it.
        var raised = await TestEvents.RaiseAsync(worker.Services, receiver.Url, r => r.Deliveries[0].NextAttemptAt = lostAt, publish: false);
        var delivery = Assert.Single(raised.Deliveries);
        Assert.Empty((await deliveries.Client.PeekMessagesAsync(32)).Value);

        await worker.Function<SweeperFunction>().RunAsync(new TimerInfo { IsPastDue = true }, CancellationToken.None);

        var timer = await deliveries.ReceiveAsync(delivery.DeliveryId, TimeSpan.FromSeconds(10));
        Assert.Empty(receiver.Attempts);
        await deliveries.InvokeAsync(queues.DeliveriesAsync, timer);
        Assert.Equal(["1/3"], receiver.Attempts);
        Assert.Equal(DeliveryStatus.Delivered, (await TestEvents.ReadDeliveryAsync(worker.Services, delivery)).Status);
    }

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

        await worker.Function<SweeperFunction>().RunAsync(new TimerInfo(), CancellationToken.None);

        await jobs.InvokeAsync(queues.JobsAsync, await jobs.ReceiveAsync(batchId));
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
