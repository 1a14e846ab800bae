using Webhooks.Functions.Api.Documentation;

namespace Webhooks.Functions.Endpoints;

/// <summary>The endpoint object of SPEC §8, as the API answers it and as operational events carry it.</summary>
internal sealed record EndpointResponse(
    string Id,
    string Object,
    string Url,
    string? Description,
    IReadOnlyList<string>? EventTypes,
    int? RateLimitPerS,
    string Status,
    string? DisabledReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt) : IApiExample<EndpointResponse>
{
    public const string ExampleId = "ep_a1b2c3d4e5f6g7h8";

    public static EndpointResponse Example => new(ExampleId, "endpoint", ApiExamples.WebhookUrl, "Billing service",
        [Events.EventTypes.BatchCompleted, Events.EventTypes.CrawlCompleted], 10, EndpointStatus.Enabled, null, ApiExamples.CreatedAt, ApiExamples.CreatedAt);

    public static EndpointResponse From(EndpointEntity endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new(endpoint.EndpointId, "endpoint", endpoint.Url, endpoint.Description, endpoint.EventTypeList, endpoint.RateLimitPerSecond,
            endpoint.Status, endpoint.DisabledReason, endpoint.CreatedAt, endpoint.UpdatedAt);
    }
}
