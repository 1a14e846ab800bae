using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Endpoints;

/// <summary>The body of <c>POST /v1/endpoints</c> as the OpenAPI document shows it; <see cref="EndpointsApi"/> validates the JSON itself.</summary>
internal sealed record CreateEndpointRequest(
    [property: Required, Url, StringLength(WebhookUrlRules.MaxLength), Description("Where its events are delivered: absolute http(s), no fragment, no user-info.")]
    string Url,
    [property: StringLength(EndpointRules.MaxDescriptionLength), Description("What it is for, for your own reference.")]
    string? Description = null,
    [property: MinLength(1), Description("The event types it receives, distinct and known (GET /v1/event-types), operational ones excepted; null or omitted receives every type.")]
    IReadOnlyList<string>? EventTypes = null,
    [property: Range(EndpointRules.MinRateLimitPerSecond, EndpointRules.MaxRateLimitPerSecond),
        Description("At most this many attempts per second; over the cap an attempt waits, it does not fail. Null or omitted is unlimited.")]
    int? RateLimitPerS = null,
    [property: Description("Whether its deliveries also carry Ed25519 `v1a` signatures beside the `v1` ones; default false. Its key pair is made with it (GET /v1/endpoints/{id}/public-keys).")]
    bool? AsymmetricSigning = null) : IApiExample<CreateEndpointRequest>
{
    [MaxLength(EndpointHeaderRules.MaxHeaders),
        Description("Headers sent on every attempt (at most 20, 4 KiB in all), name → value. Names the sender sets are refused: Content-Type, Content-Length, Host, User-Agent, webhook-*, X-Webhook-*, traceparent, and Authorization while oauth2 is set. Values are encrypted at rest.")]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("oauth2")]
    [Description("An OAuth 2.0 client-credentials client: every attempt carries Authorization: Bearer with its token. Null or omitted is none.")]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public OAuth2Request? OAuth2 { get; init; }

    [Description("A client certificate presented in the TLS handshake to an https endpoint (mTLS). Null or omitted is none.")]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ClientCertificateRequest? ClientCertificate { get; init; }

    public static CreateEndpointRequest Example => new(ApiExamples.WebhookUrl, "Order system", [Events.EventTypes.BatchCompleted, Events.EventTypes.CrawlCompleted], 50)
    {
        Headers = new Dictionary<string, string> { ["X-Api-Key"] = "k_live_2f9c" },
        OAuth2 = new OAuth2Request("https://login.example.com/oauth2/token", "webhooks-sender", "s3cr3t-from-your-identity-provider", "webhooks.write"),
    };
}
