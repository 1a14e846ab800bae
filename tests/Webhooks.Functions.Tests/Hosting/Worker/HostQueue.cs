using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Webhooks.Functions.Tests.Hosting.Worker;

/// <summary>
/// The Functions host's queue trigger for one of the app's queues, played by hand with the Azure SDK: receive a message
/// (Base64, as host.json's <c>messageEncoding</c> says), hand it to the function, delete it when the function returned.
/// </summary>
public sealed class HostQueue(WorkerTestHost host, string queueName)
{
    private static readonly TimeSpan HostVisibility = TimeSpan.FromSeconds(30);

    public QueueClient Client { get; } = new(host.ConnectionString, host.Prefix + queueName,
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

    /// <summary>Runs <paramref name="function"/> on <paramref name="message"/> and, when it returns, deletes the message as the host does.</summary>
    public async Task InvokeAsync(Func<QueueMessage, CancellationToken, Task> function, QueueMessage message)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(message);
        await function(message, CancellationToken.None);
        try
        {
            await Client.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404)
        {
            // The app deleted it or changed its visibility itself; the host only logs this.
        }
    }
}
