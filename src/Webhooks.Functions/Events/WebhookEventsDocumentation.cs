using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Webhooks.Functions.Api;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Crawling;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Jobs;

namespace Webhooks.Functions.Events;

/// <summary>
/// The OpenAPI document's <c>webhooks</c>: one entry per event type of <see cref="EventTypes.All"/>, the POST we send
/// with its headers and envelope, whose <c>data</c> is the schema of the object the event carries (for an operational
/// event, a pointer to its JSON Schema in <c>GET /v1/event-types</c>).
/// </summary>
internal sealed class WebhookEventsDocumentation : IOpenApiDocumentTransformer
{
    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(context);
        document.Webhooks ??= new Dictionary<string, IOpenApiPathItem>(StringComparer.Ordinal);
        foreach (var eventType in EventTypes.All)
        {
            var (dataType, description, dataExample) = Describe(eventType);
            var envelope = await context.GetOrCreateSchemaAsync(
                typeof(EventEnvelope<>).MakeGenericType(dataType ?? typeof(JsonElement)), cancellationToken: cancellationToken);
            envelope.Description = "The body of every attempt: compact UTF-8 JSON, signed as it is sent.";
            if (envelope.Properties?["object"] is OpenApiSchema objectProperty)
            {
                objectProperty.Enum = [JsonValue.Create(eventType)];
            }
            // The object the API also returns is referenced, so that the webhook and the API describe it once.
            if (dataType is not null && document.Components?.Schemas?.ContainsKey(dataType.Name) == true && envelope.Properties is { } properties)
            {
                properties["data"] = new OpenApiSchemaReference(dataType.Name, document);
            }
            else if (dataType is null && envelope.Properties is { } operational)
            {
                // An operational event's data is no object of this API's routes: its exact shape is in its JSON Schema.
                operational["data"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = $"See the JSON Schema of `{eventType}` in `GET /v1/event-types` (the repository's `schemas/{EventTypeCatalog.SchemaFileName(eventType)}`).",
                };
            }
            envelope.Required = new HashSet<string>(["id", "object", "timestamp", "delivery_attempt", "data"], StringComparer.Ordinal);
            envelope.Examples = dataType is null ? null : [new JsonObject
            {
                ["id"] = ApiExamples.EventId,
                ["object"] = eventType,
                ["timestamp"] = ApiExamples.CompletedAt.ToUnixTimeMilliseconds(),
                ["delivery_attempt"] = "1/5",
                ["data"] = dataExample ?? ApiSchemaDocumentation.ExampleOf(dataType),
            }];
            // A named component, so that generated code calls it BatchCompletedEvent rather than after the webhook's path.
            var name = EnvelopeName(eventType);
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
            document.Components.Schemas[name] = envelope;
            document.Webhooks[eventType] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation>
                {
                    [HttpMethod.Post] = new()
                    {
                        OperationId = "Receive" + name,
                        Summary = eventType,
                        Description = description,
                        Tags = new HashSet<OpenApiTagReference> { new(ApiTags.Events, document) },
                        Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiSecurity.WebhookSignature, document)] = [] }],
                        Parameters = WebhookHeaders.Described.Select(h => (IOpenApiParameter)new OpenApiParameter
                        {
                            Name = h.Name,
                            In = ParameterLocation.Header,
                            Required = true,
                            Description = h.Description,
                            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                        }).ToList(),
                        RequestBody = new OpenApiRequestBody
                        {
                            Required = true,
                            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                            {
                                [ApiDocumentationConventions.JsonContentType] = new() { Schema = new OpenApiSchemaReference(name, document) },
                            },
                        },
                        Responses = new OpenApiResponses
                        {
                            ["200"] = new OpenApiResponse { Description = "Any 2xx within the attempt timeout acknowledges the delivery; the body is ignored." },
                            ["default"] = new OpenApiResponse
                            {
                                Description = "`410 Gone` ends the delivery at once. Any other answer, a redirect, a timeout or a connection failure "
                                    + "is a failed attempt, retried on the policy's schedule.",
                            },
                        },
                    },
                },
            };
        }
    }

    /// <summary>The type of the event's data, null for an operational event (SPEC §9), whose data only its JSON Schema describes.</summary>
    private static (Type? Data, string Description, JsonNode? DataExample) Describe(string eventType) => eventType switch
    {
        EventTypes.BatchCompleted => (typeof(BatchResponse), "Every item of a batch has settled; data is the batch.", null),
        EventTypes.CrawlCompleted => (typeof(CrawlResponse), "A crawl has processed every page it will process; data is the crawl.", null),
        EventTypes.CrawlFailed => (typeof(CrawlResponse), "A crawl's start URL failed; data is the crawl, with its error.",
            JsonSerializer.SerializeToNode(CrawlResponse.FailedExample, ApiJson.Options)),
        EventTypes.Ping => (typeof(PingData), "Sent once by `POST /v1/webhooks/test`.", null),
        EventTypes.EndpointFailing => (null, "An endpoint's failure ratio over the health window reached the warning ratio; sent to the team's "
            + "`operations_webhook_url`, at most once per window. Data is the endpoint and its health.", null),
        EventTypes.EndpointDisabled => (null, "An endpoint was disabled for failing with no success in the health window; its events are parked "
            + "until it is enabled. Sent to the team's `operations_webhook_url`; data is the endpoint and its health.", null),
        EventTypes.DeliveryExhausted => (null, "A delivery ended `failed` (it stays redeliverable); sent to the team's `operations_webhook_url`. "
            + "Data is the delivery as `GET /v1/deliveries` lists it.", null),
        _ => throw new InvalidOperationException($"Event type {eventType} has no webhook documentation."),
    };

    /// <summary><c>event.batch.completed</c> → <c>BatchCompletedEvent</c>.</summary>
    private static string EnvelopeName(string eventType) =>
        string.Concat(eventType.Split('.').Skip(1).Select(part => char.ToUpperInvariant(part[0]) + part[1..])) + "Event";
}
