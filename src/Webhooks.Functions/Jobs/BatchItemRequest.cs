namespace Webhooks.Functions.Jobs;

/// <summary>One validated item of <c>POST /v1/batches</c>.</summary>
internal sealed record BatchItemRequest(string Url, string? CustomId);
