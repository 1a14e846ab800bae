using System.ComponentModel;
using Webhooks.Functions.Api.Documentation;

namespace Webhooks.Functions.Events;

/// <summary>One event of <c>GET /v1/events</c>; <c>object</c> is the event type, as in the webhook envelope.</summary>
internal sealed record EventListItem(
    string Id,
    [property: Description("The event type.")] string Object,
    DateTimeOffset CreatedAt,
    [property: Description("The id of the job the event is about.")] string? ResourceId,
    IReadOnlyList<DeliverySummary> Deliveries) : IApiExample<EventListItem>
{
    public static EventListItem Example => new(ApiExamples.EventId, EventTypes.BatchCompleted, ApiExamples.CompletedAt, ApiExamples.BatchId,
        [DeliverySummary.Example]);
}
