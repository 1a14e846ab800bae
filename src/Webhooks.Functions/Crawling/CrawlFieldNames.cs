namespace Webhooks.Functions.Crawling;

/// <summary>
/// The field names of a crawl create call: snake_case for <c>POST /v1/crawls</c>, camelCase for the crawl document's
/// <c>POST /v1/web/crawl</c>. Validation errors use the names the client sent.
/// </summary>
internal sealed record CrawlFieldNames(string StartUrl, string MaxPages, string MaxDepth, string Webhook, string? WebhookAlias)
{
    public static readonly CrawlFieldNames SnakeCase = new("start_url", "max_pages", "max_depth", "webhook", "webhook_url");
    public static readonly CrawlFieldNames CamelCase = new("url", "maxPages", "maxDepth", "webhookUrl", null);
}
