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
    [Description("Custom headers sent on every attempt, name → value, as they were set. Null in operational events, which do not copy their values.")]
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    [JsonPropertyName("oauth2")]
    [Description("The OAuth 2.0 client-credentials client whose bearer token every attempt carries; null for none. The client secret is never shown.")]
    public EndpointOAuth2Response? OAuth2 { get; init; }

    [Description("The client certificate presented to an https endpoint; null for none. The PEM and its key are never shown.")]
    public EndpointCertificateResponse? ClientCertificate { get; init; }

    public static EndpointResponse Example => new(ApiExamples.EndpointId, "endpoint", ApiExamples.WebhookUrl, "Order system",
        [Events.EventTypes.BatchCompleted, Events.EventTypes.CrawlCompleted], 50, EndpointStatus.Enabled, null, ApiExamples.CreatedAt, ApiExamples.CreatedAt, false)
    {
        Headers = new Dictionary<string, string> { ["X-Api-Key"] = "k_live_2f9c" },
        OAuth2 = new EndpointOAuth2Response("https://login.example.com/oauth2/token", "webhooks-sender", "webhooks.write", true),
        ClientCertificate = new EndpointCertificateResponse("CN=webhooks-sender.example.com", "3C2B5D0E8F1A4B6C7D9E0F1A2B3C4D5E6F708192", ApiExamples.CreatedAt.AddYears(1)),
    };

    /// <summary>The endpoint object without its headers (they need decrypting: <see cref="EndpointSecrets.Show"/>).</summary>
    public static EndpointResponse From(EndpointEntity endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new(endpoint.EndpointId, "endpoint", endpoint.Url, endpoint.Description, endpoint.EventTypeList, endpoint.RateLimitPerSecond,
            endpoint.Status, endpoint.DisabledReason, endpoint.CreatedAt, endpoint.UpdatedAt, endpoint.AsymmetricSigning)
        {
            OAuth2 = endpoint.OAuth2TokenUrl is null ? null
                : new EndpointOAuth2Response(endpoint.OAuth2TokenUrl, endpoint.OAuth2ClientId ?? "", endpoint.OAuth2Scope, endpoint.OAuth2ClientSecret is not null),
            ClientCertificate = endpoint.ClientCertificateThumbprint is null ? null
                : new EndpointCertificateResponse(endpoint.ClientCertificateSubject ?? "", endpoint.ClientCertificateThumbprint, endpoint.ClientCertificateNotAfter ?? default),
        };
    }
}
