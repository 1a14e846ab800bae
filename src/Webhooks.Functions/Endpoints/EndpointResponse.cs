using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Webhooks.Functions.Api.Documentation;

namespace Webhooks.Functions.Endpoints;

/// <summary>The endpoint object of SPEC §8, also the <c>data</c> of the operational events about an endpoint.</summary>
internal sealed record EndpointResponse(
    string Id,
    [property: JsonPropertyName("object")] string Object,
    string Url,
    string? Description,
    [property: Description("The event types it receives; null receives every type.")] IReadOnlyList<string>? EventTypes,
    [property: Description("Attempts per second it accepts; over the cap an attempt waits. Null is unlimited.")] int? RateLimitPerS,
    [property: AllowedValues(EndpointStatus.Enabled, EndpointStatus.Disabled)] string Status,
    [property: Description("Why it was disabled; null while enabled.")] string? DisabledReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    [property: Description("Whether its deliveries also carry Ed25519 `v1a` signatures (keys at GET /v1/endpoints/{id}/public-keys).")] bool AsymmetricSigning)
    : IApiExample<EndpointResponse>
{
    public static EndpointResponse Example => new(ApiExamples.EndpointId, "endpoint", ApiExamples.WebhookUrl, "Order system",
        [Events.EventTypes.BatchCompleted, Events.EventTypes.CrawlCompleted], 50, EndpointStatus.Enabled, null, ApiExamples.CreatedAt, ApiExamples.CreatedAt, false);

    public static EndpointResponse From(EndpointEntity endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new(endpoint.EndpointId, "endpoint", endpoint.Url, endpoint.Description, endpoint.EventTypeList, endpoint.RateLimitPerSecond,
            endpoint.Status, endpoint.DisabledReason, endpoint.CreatedAt, endpoint.UpdatedAt, endpoint.AsymmetricSigning);
    }
}
