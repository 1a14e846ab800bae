using Azure.Data.Tables;
using Webhooks.Functions.Jobs;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Crawling;

/// <summary>Creates crawls and reads them for the API.</summary>
internal sealed class CrawlStore(StorageAccount storage, JobQueue queue, TimeProvider time)
{
    public const int DefaultMaxPages = 10;

    /// <summary>
    /// The crawl row and its root page (depth 0) in one transaction, then its work message. <paramref name="resuming"/>:
    /// an earlier attempt with the same idempotency key may have written it; then only the message is sent again.
    /// </summary>
    public async Task<CrawlEntity> CreateAsync(string teamId, string crawlId, CrawlRequest request, bool resuming, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (resuming && await GetAsync(teamId, crawlId, cancellationToken) is { } existing)
        {
            await queue.EnqueueCrawlAsync(crawlId, cancellationToken);
            return existing;
        }
        var now = time.GetUtcNow();
        var root = CrawlUrl.Normalize(new Uri(request.StartUrl))!;
        var crawl = new CrawlEntity
        {
            PartitionKey = crawlId,
            TeamId = teamId,
            StartUrl = request.StartUrl,
            MaxPages = request.MaxPages,
            MaxDepth = request.MaxDepth,
            PagesAdmitted = 1,
            Webhook = request.Webhook,
            StartEpoch = now.ToUnixTimeMilliseconds(),
            CreatedAt = now,
            LastProgressAt = now,
        };
        await CommittedInsert.RunAsync(() => storage.Jobs.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, PageEntity.Admit(crawlId, 0, root.AbsoluteUri, 0)),
                new TableTransactionAction(TableTransactionActionType.Add, crawl),
            ], cancellationToken),
            async () => await GetAsync(teamId, crawlId, cancellationToken) is not null);
        await queue.EnqueueCrawlAsync(crawlId, cancellationToken);
        return crawl;
    }

    /// <summary>The crawl, or null when it does not exist or belongs to another team.</summary>
    public async Task<CrawlEntity?> GetAsync(string teamId, string crawlId, CancellationToken cancellationToken)
    {
        if (!Ids.IsValid(crawlId, JobKinds.Crawl))
        {
            return null;
        }
        var row = await storage.Jobs.GetEntityIfExistsAsync<CrawlEntity>(crawlId, JobRows.Job, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } crawl && crawl.TeamId == teamId && crawl.Kind == JobKinds.Crawl ? crawl : null;
    }

    /// <summary>Up to <paramref name="limit"/> admitted pages after row <paramref name="after"/>, and whether more follow.</summary>
    public async Task<(List<PageEntity> Pages, bool More)> ListPagesAsync(CrawlEntity crawl, string? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(crawl);
        var crawlId = crawl.PartitionKey;
        var from = after ?? JobRows.PagePrefix;
        // Rows at or beyond PagesAdmitted may be written ahead of a settle; they are not part of the crawl yet.
        var end = JobRows.Page(crawl.PagesAdmitted);
        var pages = new List<PageEntity>(limit);
        await foreach (var page in storage.Jobs.QueryAsync<PageEntity>(
            p => p.PartitionKey == crawlId && p.RowKey.CompareTo(from) > 0 && p.RowKey.CompareTo(end) < 0,
            maxPerPage: Math.Min(limit + 1, 1000), cancellationToken: cancellationToken))
        {
            if (pages.Count == limit)
            {
                return (pages, true);
            }
            pages.Add(page);
        }
        return (pages, false);
    }
}
