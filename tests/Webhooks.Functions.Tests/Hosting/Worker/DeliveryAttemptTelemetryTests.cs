using System.Collections.Concurrent;
using System.Diagnostics;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Hosting.Worker;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Tests.Hosting.Worker;

/// <summary>Each delivery attempt is an activity of the app's source, which OpenTelemetry exports to Application Insights.</summary>
public sealed class DeliveryAttemptTelemetryTests
{
    [Fact]
    public async Task DeliveryAttempts_EmitActivitiesTaggedWithDeliveryAndAttempt()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Webhooks.Functions",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var worker = await WorkerTestHost.StartAsync();
        var queue = new HostQueue(worker, StorageNames.DeliveriesQueue);
        await using var receiver = await RecordingReceiver.StartAsync(n => n == 1 ? 503 : 204);

        var raised = await TestEvents.RaiseAsync(worker.Services, receiver.Url);
        var delivery = Assert.Single(raised.Deliveries);
        await receiver.WaitForAsync(1);
        await queue.InvokeAsync(worker.Function<QueueFunctions>().DeliveriesAsync, await queue.ReceiveAsync(delivery.DeliveryId));

        // Other tests run apps in parallel; only this delivery's activities count.
        var attempts = stopped.Where(a => a.GetTagItem("delivery.id") as string == delivery.DeliveryId).OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a =>
        {
            Assert.Equal("webhook.attempt", a.OperationName);
            Assert.Equal(ActivityKind.Client, a.Kind);
            Assert.Equal(raised.Event.EventId, a.GetTagItem("event.id"));
        });
        Assert.Equal("1/3", attempts[0].GetTagItem("delivery.attempt"));
        Assert.Equal(AttemptOutcome.HttpError, attempts[0].GetTagItem("delivery.outcome"));
        Assert.Equal(503, attempts[0].GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Error, attempts[0].Status);
        Assert.Equal("2/3", attempts[1].GetTagItem("delivery.attempt"));
        Assert.Equal(AttemptOutcome.Delivered, attempts[1].GetTagItem("delivery.outcome"));
        Assert.Equal(204, attempts[1].GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, attempts[1].Status);
    }
}
