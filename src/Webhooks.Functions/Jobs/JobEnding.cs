namespace Webhooks.Functions.Jobs;

/// <summary>How a settle ends its job: the completion event to raise, with the job's final resource as its data.</summary>
internal sealed record JobEnding(string TeamId, string JobId, string EventType, string DataJson, string? Webhook);
