namespace Webhooks.Functions.Api.Documentation;

/// <summary>Values the examples of the OpenAPI document share, so that one example's times and ids agree with another's.</summary>
internal static class ApiExamples
{
    public static readonly DateTimeOffset CreatedAt = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset CompletedAt = CreatedAt.AddSeconds(4);
    public const string BatchId = "batch_a1b2c3d4e5f6g7h8";
    public const string EventId = "event_a1b2c3d4e5f6g7h8";
    public const string DeliveryId = "dlv_a1b2c3d4e5f6g7h8";
    public const string WebhookUrl = "https://your-server.example/webhooks";
    public const string OperationsWebhookUrl = "https://your-server.example/operations";
    public const string EndpointId = "ep_a1b2c3d4e5f6g7h8";
}
