namespace Webhooks.Functions.Events;

/// <summary>The <c>data</c> of an <c>event.ping</c>: enough for a receiver to see whose test it is.</summary>
internal sealed record PingData(string Message, string TeamId);
