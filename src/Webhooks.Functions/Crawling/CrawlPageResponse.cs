using System.ComponentModel.DataAnnotations;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Jobs;

namespace Webhooks.Functions.Crawling;

/// <summary>One page as <c>GET /v1/crawls/{id}/pages</c> lists it.</summary>
internal sealed record CrawlPageResponse(
    string Url, int Depth, [property: AllowedValues(JobStatus.Pending, JobStatus.Completed, JobStatus.Failed)] string Status, int? StatusCode, string? Title,
    string? Error) : IApiExample<CrawlPageResponse>
{
    public static CrawlPageResponse Example => new("https://example.com/about", 1, JobStatus.Completed, 200, "About us", null);

    public static CrawlPageResponse From(PageEntity page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new(page.Url, page.Depth, page.Status, page.StatusCode, page.Title, page.Error);
    }
}
