using System.Net;
using System.Text;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Hosting.Functions;

/// <summary>
/// A whole batch in custom-handler mode, driven only the way Azure drives it: the API call forwarded by the
/// catch-all <c>http</c> function, the <c>jobs</c> and <c>deliveries</c> messages brought by the (hand-played) host.
/// </summary>
public sealed class CustomHandlerBatchFlowTests
{
    [Fact]
    public async Task Batch_DrivenOnlyThroughInvocations_CompletesAndItsWebhookIsDeliveredOnRetry()
    {
        await using var app = await CustomHandlerApp.StartAsync();
        using var host = new FunctionsHostClient(app.BaseAddress);
        var jobs = new FunctionsHostQueue(app, "jobs", host);
        var deliveries = new FunctionsHostQueue(app, "deliveries", host);
        await using var site = await LocalServer.StartAsync(c => c.Response.WriteAsync($"<html><title>{c.Request.Path}</title></html>"));
        await using var receiver = await RecordingReceiver.StartAsync(n => n == 1 ? 500 : 200);

        var create = host.Forwarded(HttpMethod.Post, "/v1/batches", TestApp.DevApiKey);
        create.Content = new StringContent(
            $$"""{"items":[{"url":"{{site.Url("/a")}}"},{"url":"{{site.Url("/b")}}"}],"webhook":"{{receiver.Url}}"}""",
            Encoding.UTF8, "application/json");
        var batch = await (await host.SendAsync(create)).AssertJsonAsync(HttpStatusCode.Created);
        var batchId = batch.GetProperty("id").GetString()!;

        // The host's jobs trigger: every message of this batch, until the API reports the batch complete.
        var status = "";
        var started = TimeProvider.System.GetTimestamp();
        while (status != "completed")
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(30), $"Batch still {status}");
            var message = await jobs.ReceiveAsync(batchId);
            await (await jobs.InvokeAsync(message)).AssertJsonAsync(HttpStatusCode.OK);
            var current = await (await host.SendAsync(host.Forwarded(HttpMethod.Get, "/v1/batches/" + batchId, TestApp.DevApiKey)))
                .AssertJsonAsync(HttpStatusCode.OK);
            status = current.GetProperty("status").GetString()!;
        }

        // Attempt 1 runs at completion and fails; attempt 2 waits in the deliveries queue for the host to bring it.
        await receiver.WaitForAsync(1);
        var retry = await deliveries.ReceiveAsync(batchId);
        Assert.Equal(1, retry.DequeueCount);
        await (await deliveries.InvokeAsync(retry)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["1/3", "2/3"], receiver.Attempts);
    }
}
