using System.ComponentModel;
using System.Text.Json;
using Webhooks.Functions.Api;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Jobs;

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
    public static EventDetail Example => new(ApiExamples.EventId, EventTypes.BatchCompleted, ApiExamples.CompletedAt, BatchResponse.Example.Id,
        JsonSerializer.SerializeToElement(BatchResponse.Example, ApiJson.Options), [DeliveryDetail.Example]);
}
