using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.WebUtilities;
using Webhooks.Functions.Api;
using Webhooks.Functions.Events;
using Webhooks.Functions.Jobs;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Crawling;

/// <summary>
/// Runs a crawl breadth-first from the rows on the table, so a crash or a second worker resumes where the table says.
/// Up to <see cref="MaxInFlight"/> pages are fetched at once, but pages are settled strictly in sequence order and the
/// links of page k are admitted when k settles: which pages make it under <c>max_pages</c> never depends on which
/// fetch finished first. Each settle is one transaction: the page row, the rows it admits and the crawl row (with its
/// ETag); the last settle also marks the crawl final and writes its event (<see cref="JobSettlement"/>, the path batches
/// take too).
/// </summary>
internal sealed partial class CrawlWorker(
    StorageAccount storage, PageFetcher fetcher, JobSettlement settlement, TimeProvider time, ILogger<CrawlWorker> logger)
    : IJobWorker
{
    public const int MaxInFlight = 4;

    /// <summary>Admitted rows written inside a settle transaction; the rest go ahead of it (100 actions at most, with page, crawl, event, delivery).</summary>
    private const int InlineAdmissions = 90;
    private const int RobotsMaxBytes = 512 * 1024;
    private const string RobotsBlocked = "Disallowed by robots.txt";

    public string Kind => JobKinds.Crawl;

    /// <summary>A crawl's message names only the crawl: the table says where it is.</summary>
    public bool Accepts(JobMessage message) => true;

    public Task RunAsync(JobMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return RunAsync(message.JobId, cancellationToken);
    }

    public async Task RunAsync(string crawlId, CancellationToken cancellationToken)
    {
        while (!await RunOnceAsync(crawlId, cancellationToken))
        {
            // Another worker settled a page first: what it did is on the table, so start again from there.
            LogResumedAfterConflict(logger, crawlId);
        }
    }

    /// <summary>False when a settle lost a race; the caller starts over from the table.</summary>
    private async Task<bool> RunOnceAsync(string crawlId, CancellationToken cancellationToken)
    {
        var crawl = await LoadCrawlAsync(crawlId, cancellationToken);
        if (crawl is null)
        {
            LogUnknownCrawl(logger, crawlId);
            return true;
        }
        if (JobStatus.IsFinal(crawl.Status))
        {
            await settlement.ResumeAsync(crawlId, cancellationToken);
            return true;
        }
        var pages = await LoadAdmittedPagesAsync(crawl, cancellationToken);
        var start = new Uri(pages[0].Url);
        var origin = CrawlUrl.Origin(start);
        var (robots, robotsError) = await LoadRobotsAsync(start, cancellationToken);
        if (robots is null)
        {
            var failed = new FetchResult { Succeeded = false, Error = robotsError, Reason = robotsError };
            var page = crawl.PagesSettled == 0 ? pages[0] : null;
            return await SettleAsync(crawl, page, failed, [], robotsError, cancellationToken);
        }

        var seen = new HashSet<string>(pages.Select(p => p.Url), StringComparer.Ordinal);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var inFlight = new Dictionary<int, Task<FetchResult>>();
        var next = crawl.PagesSettled;
        var dispatched = next;
        try
        {
            while (next < pages.Count)
            {
                while (inFlight.Count < MaxInFlight && dispatched < pages.Count)
                {
                    inFlight[dispatched] = FetchPageAsync(crawl.PartitionKey, pages[dispatched], robots, stop.Token);
                    dispatched++;
                }
                var page = pages[next];
                var result = await inFlight[next];
                inFlight.Remove(next);
                var admitted = Admit(crawl, page, result, pages, seen, robots, origin);
                string? failure = null;
                if (page.Sequence == 0 && !result.Succeeded)
                {
                    failure = result.Reason == RobotsBlocked ? "Root URL is disallowed by robots.txt"
                        : result.StatusCode is not null ? $"Root URL returned {result.Reason}"
                        : $"Root URL could not be reached: {result.Reason}";
                }
                if (!await SettleAsync(crawl, page, result, admitted, failure, cancellationToken))
                {
                    return false;
                }
                if (JobStatus.IsFinal(crawl.Status))
                {
                    return true;
                }
                next++;
            }
            return true;
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var fetch in inFlight.Values)
            {
                try
                {
                    await fetch;
                }
                catch (OperationCanceledException)
                {
                    // Abandoned: the page stays pending and is fetched again by whoever continues.
                }
            }
        }
    }

    private Task<FetchResult> FetchPageAsync(string crawlId, PageEntity page, RobotsRules robots, CancellationToken cancellationToken)
    {
        var url = new Uri(page.Url);
        if (page.Sequence == 0 && !robots.IsAllowed(url.PathAndQuery))
        {
            return Task.FromResult(new FetchResult { Succeeded = false, Error = RobotsBlocked, Reason = RobotsBlocked });
        }
        return fetcher.FetchAsync(url, JobRows.BlobName(crawlId, page.RowKey), extractLinks: true, cancellationToken);
    }

    /// <summary>
    /// The pages that <paramref name="page"/>'s links add to the crawl, in link order: same site, not seen before,
    /// within <c>max_depth</c>, allowed by robots.txt, while the crawl has fewer than <c>max_pages</c> pages.
    /// </summary>
    private static List<PageEntity> Admit(
        CrawlEntity crawl, PageEntity page, FetchResult result, List<PageEntity> pages, HashSet<string> seen, RobotsRules robots, string origin)
    {
        var admitted = new List<PageEntity>();
        var depth = page.Depth + 1;
        if (!result.Succeeded || (crawl.MaxDepth is { } maxDepth && depth > maxDepth))
        {
            return admitted;
        }
        foreach (var link in result.Links)
        {
            if (pages.Count >= crawl.MaxPages)
            {
                break;
            }
            if (CrawlUrl.Normalize(link) is not { } url || CrawlUrl.Origin(url) != origin || !seen.Add(url.AbsoluteUri))
            {
                continue;
            }
            if (!robots.IsAllowed(url.PathAndQuery))
            {
                continue;
            }
            var admittedPage = PageEntity.Admit(crawl.PartitionKey, pages.Count, url.AbsoluteUri, depth);
            pages.Add(admittedPage);
            admitted.Add(admittedPage);
        }
        return admitted;
    }

    /// <summary>
    /// Settles <paramref name="page"/> (null: none, the crawl just fails) and admits <paramref name="admitted"/>, in one
    /// transaction with the crawl row. <paramref name="failure"/> fails the crawl. False when another worker got there first.
    /// </summary>
    private async Task<bool> SettleAsync(
        CrawlEntity crawl, PageEntity? page, FetchResult result, List<PageEntity> admitted, string? failure, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var actions = new List<TableTransactionAction>();
        if (page is not null)
        {
            page.Apply(result, now);
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, page, ETag.All));
            crawl.PagesSettled = page.Sequence + 1;
            crawl.ActualMaxDepth = Math.Max(crawl.ActualMaxDepth, page.Depth);
            if (result.Succeeded)
            {
                crawl.UrlsCount++;
            }
            else
            {
                crawl.PagesFailed++;
            }
        }
        if (admitted.Count > InlineAdmissions)
        {
            // Rows beyond PagesAdmitted are not part of the crawl until the crawl row says so, so writing them ahead
            // of the settle keeps it atomic; a crash leaves rows that the next settle overwrites.
            foreach (var chunk in admitted.Skip(InlineAdmissions).Chunk(TableTransactions.MaxActions))
            {
                await storage.Jobs.SubmitTransactionAsync(
                    chunk.Select(p => new TableTransactionAction(TableTransactionActionType.UpsertReplace, p)), cancellationToken);
            }
        }
        actions.AddRange(admitted.Take(InlineAdmissions).Select(p => new TableTransactionAction(TableTransactionActionType.UpsertReplace, p)));
        crawl.PagesAdmitted += admitted.Count;
        crawl.LastProgressAt = now;

        string? eventType = null;
        if (failure is not null)
        {
            crawl.Status = JobStatus.Failed;
            crawl.Error = failure;
            eventType = EventTypes.CrawlFailed;
        }
        else if (crawl.PagesSettled >= crawl.PagesAdmitted)
        {
            crawl.Status = JobStatus.Completed;
            eventType = EventTypes.CrawlCompleted;
        }
        JobEnding? ending = null;
        if (eventType is not null)
        {
            crawl.CompletedAt = now;
            var data = JsonSerializer.Serialize(CrawlResponse.From(crawl), ApiJson.Options);
            ending = new JobEnding(crawl.TeamId, crawl.PartitionKey, eventType, data, crawl.Webhook);
        }
        var crawlAction = actions.Count;
        actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, crawl, crawl.ETag));

        JobSettle settled;
        try
        {
            settled = await settlement.SettleAsync(actions, crawlAction, ending, cancellationToken);
            crawl.ETag = settled.JobETag
                ?? (await LoadCrawlAsync(crawl.PartitionKey, cancellationToken))?.ETag
                ?? throw new InvalidOperationException($"Crawl {crawl.PartitionKey} vanished.");
        }
        catch (RequestFailedException e) when (e.IsWriteConflict())
        {
            return false;
        }
        if (settled.EndedJob)
        {
            LogCrawlFinished(logger, crawl.PartitionKey, crawl.Status, crawl.UrlsCount, crawl.PagesFailed);
        }
        await settlement.PublishAsync(settled, cancellationToken);
        return true;
    }

    /// <summary>RFC 9309 §2.3.1: 4xx means no restrictions; 5xx or unreachable means the crawl may not proceed.</summary>
    private async Task<(RobotsRules? Rules, string? Error)> LoadRobotsAsync(Uri start, CancellationToken cancellationToken)
    {
        var robotsUrl = new Uri(start, "/robots.txt");
        var (status, body, reason) = await fetcher.FetchTextAsync(robotsUrl, RobotsMaxBytes, cancellationToken);
        if (status is null)
        {
            // The whole host is unreachable: that is the root failing, and the message says both.
            return (null, $"Root URL could not be reached: {reason} (robots.txt could not be fetched)");
        }
        if (status >= 500)
        {
            return (null, $"robots.txt returned {status} {ReasonPhrases.GetReasonPhrase(status.Value)}".TrimEnd());
        }
        return status is >= 200 and < 300 ? (RobotsRules.Parse(body ?? ""), null) : (RobotsRules.AllowAll, null);
    }

    private async Task<CrawlEntity?> LoadCrawlAsync(string crawlId, CancellationToken cancellationToken)
    {
        var row = await storage.Jobs.GetEntityIfExistsAsync<CrawlEntity>(crawlId, JobRows.Job, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Pages <c>[0, PagesAdmitted)</c> in sequence order; read after the crawl row, so none is newer than it.</summary>
    private async Task<List<PageEntity>> LoadAdmittedPagesAsync(CrawlEntity crawl, CancellationToken cancellationToken)
    {
        var crawlId = crawl.PartitionKey;
        var first = JobRows.Page(0);
        var end = JobRows.Page(crawl.PagesAdmitted);
        var pages = new List<PageEntity>(crawl.PagesAdmitted);
        await foreach (var page in storage.Jobs.QueryAsync<PageEntity>(
            p => p.PartitionKey == crawlId && p.RowKey.CompareTo(first) >= 0 && p.RowKey.CompareTo(end) < 0,
            cancellationToken: cancellationToken))
        {
            pages.Add(page);
        }
        if (pages.Count != crawl.PagesAdmitted || pages.Count == 0)
        {
            throw new InvalidOperationException($"Crawl {crawlId} has {pages.Count} page rows but admitted {crawl.PagesAdmitted}.");
        }
        return pages;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job message for crawl {JobId} names no crawl; dropped")]
    private static partial void LogUnknownCrawl(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Crawl {JobId} lost a settle race; resuming from the table")]
    private static partial void LogResumedAfterConflict(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Crawl {JobId} {Status}: {UrlsCount} pages fetched, {PagesFailed} failed")]
    private static partial void LogCrawlFinished(ILogger logger, string jobId, string status, int urlsCount, int pagesFailed);
}
