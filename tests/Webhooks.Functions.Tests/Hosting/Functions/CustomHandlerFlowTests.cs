using System.Net;
using System.Text.Json;
using Azure.Storage.Queues;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Hosting;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Hosting.Functions;

/// <summary>
/// Custom-handler mode end to end: the app does no queue or timer work of its own, and deliveries progress only when
/// the (hand-played) Functions host invokes the <c>deliveries</c> and <c>sweeper</c> functions.
/// </summary>
public sealed class CustomHandlerFlowTests
{
    [Fact]
    public async Task CustomHandlerMode_AppConsumesNoQueueMessagesOnItsOwn()
    {
        await using var app = await CustomHandlerApp.StartAsync();
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var deliveries = new QueueClient(app.ConnectionString, app.Prefix + "deliveries", options);
        var jobs = new QueueClient(app.ConnectionString, app.Prefix + "jobs", options);
        await deliveries.SendMessageAsync("""{"deliveries":[{"partition":"batch_0000000000000000","delivery_id":"dlv_0000000000000000"}]}""");
        await jobs.SendMessageAsync("""{"jobId":"batch_0000000000000000"}""");

        var hosted = app.Services.GetServices<IHostedService>().ToList();
        // A standalone poller picks a visible message up within its 1 s maximum poll delay; give it twice that.
        await Task.Delay(TimeSpan.FromSeconds(2));

        var stillQueued = (await deliveries.PeekMessagesAsync(32)).Value.Concat((await jobs.PeekMessagesAsync(32)).Value).ToList();
        Assert.Equal(2, stillQueued.Count);
        Assert.All(stillQueued, m => Assert.Equal(0, m.DequeueCount));
        Assert.DoesNotContain(hosted, s => s is QueuePoller or SweeperTimer);
    }

    [Fact]
    public async Task FailedFirstAttempt_RetryDrivenThroughDeliveriesInvocation_IsDelivered()
    {
        await using var app = await CustomHandlerApp.StartAsync();
        using var host = new FunctionsHostClient(app.BaseAddress);
        var queue = new FunctionsHostQueue(app, "deliveries", host);
        await using var receiver = await RecordingReceiver.StartAsync(n => n == 1 ? 500 : 200);

        var raised = await TestEvents.RaiseAsync(app, receiver.Url);
        var delivery = Assert.Single(raised.Deliveries);
        await receiver.WaitForAsync(1);
        // The retry's timer message: nobody but us may have dequeued it, and the receiver saw nothing more meanwhile.
        var timer = await queue.ReceiveAsync(delivery.DeliveryId);
        Assert.Equal(1, timer.DequeueCount);
        Assert.Single(receiver.Attempts);

        var response = await queue.InvokeAsync(timer);

        var result = await response.AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("ReturnValue").ValueKind);
        Assert.Equal(["1/3", "2/3"], receiver.Attempts);
        var row = await TestEvents.ReadDeliveryAsync(app, delivery);
        Assert.Equal(DeliveryStatus.Delivered, row.Status);
        Assert.Equal(2, row.AttemptsMade);
    }

    [Fact]
    public async Task SweeperInvocation_DeliveryWithLostTimer_IsRearmedAndDeliveredThroughDeliveriesInvocation()
    {
        await using var app = await CustomHandlerApp.StartAsync();
        using var host = new FunctionsHostClient(app.BaseAddress);
        var queue = new FunctionsHostQueue(app, "deliveries", host);
        await using var receiver = await RecordingReceiver.StartAsync(_ => 200);
        var lostAt = TimeProvider.System.GetUtcNow() - TimeSpan.FromHours(1);

        // Committed an hour ago and never published: no guard, no timer, no attempt. Only the sweeper can find it.
        var raised = await TestEvents.RaiseAsync(app, receiver.Url, r => r.Deliveries[0].NextAttemptAt = lostAt, publish: false);
        var delivery = Assert.Single(raised.Deliveries);
        Assert.Empty((await queue.Client.PeekMessagesAsync(32)).Value);

        var swept = await host.InvokeTimerAsync("sweeper", isPastDue: true);

        await swept.AssertJsonAsync(HttpStatusCode.OK);
        var timer = await queue.ReceiveAsync(delivery.DeliveryId, TimeSpan.FromSeconds(5));
        Assert.Empty(receiver.Attempts);
        await (await queue.InvokeAsync(timer)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["1/3"], receiver.Attempts);
        Assert.Equal(DeliveryStatus.Delivered, (await TestEvents.ReadDeliveryAsync(app, delivery)).Status);
    }
}
