using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Jobs;

namespace Webhooks.Functions.Crawling;

/// <summary>The body of <c>POST /v1/crawls</c> as the OpenAPI document shows it; <see cref="CrawlsApi"/> validates the JSON itself.</summary>
internal sealed record CreateCrawlRequest(
    [property: Required, Url, StringLength(FetchUrlRules.MaxLength), Description("Where the crawl starts (depth 0); links are followed on its scheme, host and port only.")]
    string StartUrl,
    [property: Range(1, CrawlsApi.MaxPagesLimit), DefaultValue(CrawlStore.DefaultMaxPages), Description("Most pages to fetch.")]
    int? MaxPages = null,
    [property: Range(0, CrawlsApi.MaxDepthLimit), Description("Deepest link level to follow; unlimited when omitted.")]
    int? MaxDepth = null,
    [property: Url, StringLength(WebhookUrlRules.MaxLength),
        Description("Where the completion event is delivered; the team's default_webhook_url when omitted.")]
    string? Webhook = null,
    [property: Url, StringLength(WebhookUrlRules.MaxLength), Description("An alias of webhook; both given must be equal.")]
    string? WebhookUrl = null) : IApiExample<CreateCrawlRequest>
{
    public static CreateCrawlRequest Example => new("https://example.com/", 20, 2, "https://your-server.example/webhooks", null);
}
