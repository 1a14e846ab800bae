using System.ComponentModel;

namespace Webhooks.Functions.Crawling;

/// <summary>A page of a crawl's pages in breadth-first order; <c>next_cursor</c> is null on the last page.</summary>
internal sealed record CrawlPagesPage(IReadOnlyList<CrawlPageResponse> Pages, [property: Description("The cursor of the next page; null on the last page.")] string? NextCursor);
