using Webhooks.Functions.Api.Documentation;

namespace Webhooks.Functions.Events;

/// <summary><c>GET /v1/event-types</c> (SPEC §11): what a payload looks like, before a customer writes a receiver.</summary>
internal static class EventTypesApi
{
    public static RouteGroupBuilder MapEventTypesApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/event-types", (EventTypeCatalog catalog) => TypedResults.Ok(new EventTypeList(catalog.Types)))
            .WithTags(ApiTags.Events)
            .WithName("ListEventTypes").WithSummary("List event types with their JSON Schemas")
            .WithDescription("Every event type we send, with the JSON Schema (draft 2020-12) of its webhook's whole body. "
                + "The schemas are the files of the repository's `schemas/` folder, served as they are.")
            .Produces<EventTypeList>();
        return v1;
    }
}
