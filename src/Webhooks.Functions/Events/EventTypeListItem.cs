using System.ComponentModel;
using System.Text.Json;
using Webhooks.Functions.Api.Documentation;

namespace Webhooks.Functions.Events;

/// <summary>One event type of <c>GET /v1/event-types</c>, with the JSON Schema of its envelope.</summary>
internal sealed record EventTypeListItem(
    [property: Description("The event type, as in the envelope's `object` and the `X-Webhook-Event` header.")] string Type,
    string Description,
    [property: Description("The JSON Schema (draft 2020-12) of the whole request body of this event's webhooks, as the repository's `schemas/` holds it.")] JsonElement Schema)
    : IApiExample<EventTypeListItem>
{
    public static EventTypeListItem Example => new(EventTypes.Ping, "Sent once by POST /v1/webhooks/test.", JsonDocument.Parse("""
        {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"urn:webhooks-functions:schema:event.ping","title":"event.ping",
         "description":"Sent once by POST /v1/webhooks/test.","type":"object","required":["id","object","timestamp","delivery_attempt","data"]}
        """).RootElement.Clone());
}
