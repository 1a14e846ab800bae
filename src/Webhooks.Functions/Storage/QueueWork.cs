using Azure.Storage.Queues.Models;

namespace Webhooks.Functions.Storage;

/// <summary>One queue message as a handler sees it, whether our poller or the Functions host's queue trigger brought it.</summary>
internal sealed record QueueWork(string MessageText, long DequeueCount, string? MessageId)
{
    public static QueueWork From(QueueMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new QueueWork(message.MessageText, message.DequeueCount, message.MessageId);
    }
}
