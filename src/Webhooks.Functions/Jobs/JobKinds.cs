namespace Webhooks.Functions.Jobs;

/// <summary>The two kinds of job; also the prefix of their ids.</summary>
internal static class JobKinds
{
    public const string Batch = Ids.BatchPrefix;
    public const string Crawl = Ids.CrawlPrefix;
}
