using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Jobs;

namespace Webhooks.Functions.Crawling;

/// <summary>
/// The body of the crawl document's camelCase <c>POST /v1/web/crawl</c> as the OpenAPI document shows it (names from
/// <see cref="CrawlFieldNames.CamelCase"/>); <see cref="CrawlsApi"/> validates the JSON itself.
/// </summary>
internal sealed record WebCrawlRequest(
    [property: JsonPropertyName("url"), Required, Url, StringLength(FetchUrlRules.MaxLength), Description("Where the crawl starts (depth 0).")]
    string Url,
    [property: JsonPropertyName("maxPages"), Range(1, CrawlsApi.MaxPagesLimit), DefaultValue(CrawlStore.DefaultMaxPages), Description("Most pages to fetch.")]
    int? MaxPages = null,
    [property: JsonPropertyName("maxDepth"), Range(0, CrawlsApi.MaxDepthLimit), Description("Deepest link level to follow; unlimited when omitted.")]
    int? MaxDepth = null,
    [property: JsonPropertyName("webhookUrl"), Url, StringLength(WebhookUrlRules.MaxLength),
        Description("Where the completion event is delivered; the team's default_webhook_url when omitted.")]
    string? WebhookUrl = null) : IApiExample<WebCrawlRequest>
{
    public static WebCrawlRequest Example => new("https://example.com/", 20, null, "https://your-server.example/webhooks");
}
