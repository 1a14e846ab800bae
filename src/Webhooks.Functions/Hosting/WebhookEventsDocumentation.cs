using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Webhooks.Functions.Api;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Crawling;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Endpoints;
using Webhooks.Functions.Events;
using Webhooks.Functions.Jobs;

namespace Webhooks.Functions.Hosting;

/// <summary>
/// The OpenAPI document's <c>webhooks</c>: one entry per event type of <see cref="EventTypes.All"/>, the POST we send
/// with its headers and envelope, whose <c>data</c> is the schema of the object the event carries.
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
            var envelope = await context.GetOrCreateSchemaAsync(typeof(EventEnvelope<>).MakeGenericType(dataType), cancellationToken: cancellationToken);
            envelope.Description = "The body of every attempt: compact UTF-8 JSON, signed as it is sent.";
            if (envelope.Properties?["object"] is OpenApiSchema objectProperty)
            {
                objectProperty.Enum = [JsonValue.Create(eventType)];
            }
            // The object the API also returns is referenced, so that the webhook and the API describe it once.
            if (document.Components?.Schemas?.ContainsKey(dataType.Name) == true && envelope.Properties is { } properties)
            {
                properties["data"] = new OpenApiSchemaReference(dataType.Name, document);
            }
            envelope.Required = new HashSet<string>(["id", "object", "timestamp", "delivery_attempt", "data"], StringComparer.Ordinal);
            envelope.Examples = [new JsonObject
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

    private static (Type Data, string Description, JsonNode? DataExample) Describe(string eventType) => eventType switch
    {
        EventTypes.BatchCompleted => (typeof(BatchResponse), "Every item of a batch has settled; data is the batch.", null),
        EventTypes.CrawlCompleted => (typeof(CrawlResponse), "A crawl has processed every page it will process; data is the crawl.", null),
        EventTypes.CrawlFailed => (typeof(CrawlResponse), "A crawl's start URL failed; data is the crawl, with its error.",
            JsonSerializer.SerializeToNode(CrawlResponse.FailedExample, ApiJson.Options)),
        EventTypes.Ping => (typeof(PingData), "Sent once by `POST /v1/webhooks/test`.", null),
        EventTypes.EndpointFailing => (typeof(EndpointEventData),
            "Sent to operations_webhook_url: most attempts to an endpoint failed within the health window (at most once per window).", null),
        EventTypes.EndpointDisabled => (typeof(EndpointEventData),
            "Sent to operations_webhook_url: an endpoint was disabled (almost every attempt failed, none succeeded); its deliveries are parked.", null),
        EventTypes.DeliveryExhausted => (typeof(DeliveryExhaustedData),
            "Sent to operations_webhook_url: a delivery ended failed; data is the delivery as GET /v1/deliveries lists it.", null),
        _ => throw new InvalidOperationException($"Event type {eventType} has no webhook documentation."),
    };

    /// <summary><c>event.batch.completed</c> → <c>BatchCompletedEvent</c>.</summary>
    private static string EnvelopeName(string eventType) =>
        string.Concat(eventType.Split('.').Skip(1).Select(part => char.ToUpperInvariant(part[0]) + part[1..])) + "Event";
}
