using System.ComponentModel;
using System.Text.Json;
using Webhooks.Functions.Api;
using Webhooks.Functions.Api.Documentation;

namespace Webhooks.Functions.Events;

/// <summary><c>GET /v1/events/{id}</c>: the event, its <c>data</c> as the JSON object the envelope carries, every delivery and attempt.</summary>
internal sealed record EventDetail(
    string Id,
    [property: Description("The event type.")] string Object,
    DateTimeOffset CreatedAt,
    [property: Description("The id of the job the event is about.")] string? ResourceId,
    [property: Description("The job object as GET returned it when the event was raised; the webhook envelope's data.")] JsonElement Data,
    IReadOnlyList<DeliveryDetail> Deliveries) : IApiExample<EventDetail>
{
    public static EventDetail Example => new(ApiExamples.EventId, EventTypes.BatchCompleted, ApiExamples.CompletedAt, ApiExamples.BatchId,
        JsonSerializer.SerializeToElement(BatchData, ApiJson.Options), [DeliveryDetail.Example]);

    /// <summary>
    /// The example batch of <c>GET /v1/batches/{id}</c> (Jobs' <c>BatchResponse.Example</c>), written out here because
    /// Jobs raises events and Events knows no job type; <c>EventExampleTests</c> keeps the two the same.
    /// </summary>
    private static object BatchData => new
    {
        Id = ApiExamples.BatchId,
        Object = "batch",
        Status = "completed",
        ItemsTotal = 2,
        ItemsCompleted = 1,
        ItemsFailed = 1,
        CreatedAt = ApiExamples.CreatedAt,
        CompletedAt = (DateTimeOffset?)ApiExamples.CompletedAt,
        Webhook = ApiExamples.WebhookUrl,
    };
}
