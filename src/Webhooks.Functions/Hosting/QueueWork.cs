namespace Webhooks.Functions.Hosting;

/// <summary>One queue message as a handler sees it, whether our poller or the Functions host brought it.</summary>
internal sealed record QueueWork(string MessageText, long DequeueCount, string? MessageId);
