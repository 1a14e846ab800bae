namespace Webhooks.Functions.Crawling;

/// <summary>One page as <c>GET /v1/crawls/{id}/pages</c> lists it.</summary>
internal sealed record CrawlPageResponse(string Url, int Depth, string Status, int? StatusCode, string? Title, string? Error)
{
    public static CrawlPageResponse From(PageEntity page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new(page.Url, page.Depth, page.Status, page.StatusCode, page.Title, page.Error);
    }
}
