namespace Webhooks.Functions.Crawling;

/// <summary>A validated crawl create call, from either route.</summary>
internal sealed record CrawlRequest(string StartUrl, int MaxPages, int? MaxDepth, string? Webhook);
