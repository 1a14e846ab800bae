using System.Net;
using System.Text;
using Webhooks.Functions.Events;
using Xunit.Sdk;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// The check every test receiver makes (<see cref="DeliveryConformance"/>): a delivery that does not conform to its
/// schema fails the test that received it, whatever the receiver answered; anything else is left alone.
/// </summary>
public sealed class DeliveryConformanceTests
{
    [Fact]
    public async Task Receiver_AConformingDelivery_ReadWithoutFailure()
    {
        await using var receiver = await WebhookReceiver.StartAsync();

        await PostAsync(receiver.Url, EventTypes.Ping, EventSamples.Envelope(EventTypes.Ping).ToJsonString());

        Assert.Single(await receiver.WaitForAsync(1));
    }

    [Fact]
    public async Task Receiver_ADeliveryMissingAField_FailsTheTestThatReadsIt_EvenWhenItAnsweredAnError()
    {
        var receiver = await WebhookReceiver.StartAsync((_, context) =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        });
        var envelope = EventSamples.Envelope(EventTypes.BatchCompleted);
        envelope["data"]!.AsObject().Remove("items_failed");

        var answer = await PostAsync(receiver.Url, EventTypes.BatchCompleted, envelope.ToJsonString());

        Assert.Equal(HttpStatusCode.InternalServerError, answer);
        var read = Assert.Throws<XunitException>(() => receiver.Received);
        Assert.Contains("items_failed", read.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<XunitException>(() => receiver.WaitForAsync(1));
        await Assert.ThrowsAsync<XunitException>(async () => await receiver.DisposeAsync());
    }

    [Fact]
    public async Task LocalServer_ADeliveryOfAnUnknownType_FailsAtDispose_AndTheHandlerStillReadsTheBody()
    {
        var handlerRead = "";
        var server = await LocalServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            handlerRead = await reader.ReadToEndAsync();
        });
        const string body = """{"id":"event_a1b2c3d4e5f6g7h8","object":"event.unknown","timestamp":1,"delivery_attempt":"1/1","data":{}}""";

        await PostAsync(server.Url("/hooks"), "event.unknown", body);

        Assert.Equal(body, handlerRead);
        Assert.Contains(server.Deliveries.Violations, v => v.Contains("no schema", StringComparison.Ordinal));
        await Assert.ThrowsAsync<XunitException>(async () => await server.DisposeAsync());
    }

    [Fact]
    public async Task LocalServer_APostWithoutWebhookId_IsNoDeliveryAndNotChecked()
    {
        await using var server = await LocalServer.StartAsync(context => Task.CompletedTask);
        using var client = new HttpClient();

        await client.PostAsync(server.Url("/form"), new StringContent("not json", Encoding.UTF8, "text/plain"));

        Assert.Empty(server.Deliveries.Violations);
    }

    private static async Task<HttpStatusCode> PostAsync(string url, string eventType, string body)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", "event_a1b2c3d4e5f6g7h8");
        request.Headers.Add("X-Webhook-Event", eventType);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
