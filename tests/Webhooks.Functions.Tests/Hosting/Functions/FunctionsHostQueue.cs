using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Hosting.Functions;

/// <summary>
/// The Functions host's queue trigger for one of the app's queues, driven by hand with the Azure SDK: receive a
/// message (Base64, the host's default encoding), invoke the function with it, delete it on a 2xx answer.
/// </summary>
public sealed class FunctionsHostQueue(TestApp app, string queueName, FunctionsHostClient host)
{
    private static readonly TimeSpan HostVisibility = TimeSpan.FromSeconds(30);

    public QueueClient Client { get; } = new(app.ConnectionString, app.Prefix + queueName,
        new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    /// <summary>Receives the first message whose text contains <paramref name="marker"/>, waiting (bounded) until one is visible.</summary>
    public async Task<QueueMessage> ReceiveAsync(string marker, TimeSpan? timeout = null)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            foreach (var message in (await Client.ReceiveMessagesAsync(32, HostVisibility)).Value)
            {
                if (message.MessageText.Contains(marker, StringComparison.Ordinal))
                {
                    return message;
                }
                // Someone else's message: let it go again at once.
                await Client.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
            }
            if (TimeProvider.System.GetElapsedTime(started) > (timeout ?? TimeSpan.FromSeconds(20)))
            {
                throw new TimeoutException($"No message mentioning {marker} became visible in {Client.Name}.");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Invokes the function with <paramref name="message"/> and, on a 2xx answer, deletes it as the host does.</summary>
    public async Task<HttpResponseMessage> InvokeAsync(QueueMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var response = await host.InvokeQueueAsync(queueName, message.MessageText, message.DequeueCount, message.MessageId, message.PopReceipt);
        if (response.IsSuccessStatusCode)
        {
            try
            {
                await Client.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
            catch (RequestFailedException e) when (e.Status is 400 or 404)
            {
                // The app deleted it or changed its visibility itself; the host only logs this.
            }
        }
        return response;
    }
}
