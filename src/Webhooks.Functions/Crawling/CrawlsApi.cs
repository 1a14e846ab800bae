using System.ComponentModel;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Api;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Jobs;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Crawling;

/// <summary>The crawl routes of SPEC §3, including the crawl document's camelCase <c>POST /v1/web/crawl</c>.</summary>
internal static class CrawlsApi
{
    public const int MaxPagesLimit = 1000;
    public const int MaxDepthLimit = 20;

    public static RouteGroupBuilder MapCrawlsApi(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var crawls = v1.MapGroup("/crawls").WithTags(ApiTags.Crawls);
        crawls.MapPost("", (HttpContext context, CrawlStore store, IdempotencyStore idempotency, IOptions<SecurityOptions> security, CancellationToken ct) =>
            CreateCrawlAsync(context, CrawlFieldNames.SnakeCase, store, idempotency, security.Value, ct)).AddEndpointFilter<CreateAdmissionFilter>()
            .WithName("CreateCrawl").WithSummary("Create a crawl")
            .WithDescription("Breadth-first from start_url on the same scheme, host and port, honouring robots.txt; `event.crawl.completed` or `event.crawl.failed` is raised at the end.")
            .AcceptsJson<CreateCrawlRequest>().AcceptsIdempotencyKey().ProducesCreated<CrawlResponse>();
        crawls.MapGet("/{id}", GetCrawlAsync)
            .WithName("GetCrawl").WithSummary("Get a crawl").Produces<CrawlResponse>().ProducesProblemDocument(StatusCodes.Status404NotFound);
        crawls.MapGet("/{id}/pages", ListPagesAsync)
            .WithName("ListCrawlPages").WithSummary("List a crawl's pages").WithDescription("Pages in breadth-first order.")
            .AcceptsCursorPaging(ListCursor.DefaultLimit, ListCursor.MaxLimit)
            .Produces<CrawlPagesPage>().ProducesValidationProblemDocument().ProducesProblemDocument(StatusCodes.Status404NotFound);
        v1.MapPost("/web/crawl", (HttpContext context, CrawlStore store, IdempotencyStore idempotency, IOptions<SecurityOptions> security, CancellationToken ct) =>
            CreateCrawlAsync(context, CrawlFieldNames.CamelCase, store, idempotency, security.Value, ct)).WithTags(ApiTags.Crawls)
            .AddEndpointFilter<CreateAdmissionFilter>()
            .WithName("CreateWebCrawl").WithSummary("Create a crawl (camelCase form)")
            .WithDescription("The crawl document's form of Create a crawl: camelCase fields, the same crawl and the same (snake_case) answer.")
            .AcceptsJson<WebCrawlRequest>().AcceptsIdempotencyKey().ProducesCreated<CrawlResponse>();
        return v1;
    }

    private static async Task<IResult> CreateCrawlAsync(
        HttpContext context, CrawlFieldNames names, CrawlStore store, IdempotencyStore idempotency, SecurityOptions security, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        var validation = new RequestValidation();
        var startUrl = validation.RequiredString(body.Root, names.StartUrl, names.StartUrl, FetchUrlRules.MaxLength);
        if (startUrl is not null && FetchUrlRules.Check(startUrl) is { } urlError)
        {
            validation.Add(names.StartUrl, urlError);
        }
        var maxPages = validation.OptionalInteger(body.Root, names.MaxPages, names.MaxPages, 1, MaxPagesLimit) ?? CrawlStore.DefaultMaxPages;
        var maxDepth = validation.OptionalInteger(body.Root, names.MaxDepth, names.MaxDepth, 0, MaxDepthLimit);
        var webhook = WebhookField.Read(validation, body.Root, names.Webhook, names.WebhookAlias, security.RequireHttpsWebhooks);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var request = new CrawlRequest(startUrl!, maxPages, maxDepth, webhook);
        var teamId = CurrentTeam.Id(context);
        return await IdempotencyHandling.CreateAsync(context, body, teamId, JobKinds.Crawl, idempotency,
            async (crawlId, resuming, ct) =>
            {
                var crawl = await store.CreateAsync(teamId, crawlId, request, resuming, ct);
                return (CrawlResponse.From(crawl), $"/v1/crawls/{crawl.PartitionKey}");
            },
            cancellationToken);
    }

    private static async Task<IResult> GetCrawlAsync([Description("The crawl id, `crawl_…`.")] string id, HttpContext context, CrawlStore store, CancellationToken cancellationToken)
    {
        var crawl = await store.GetAsync(CurrentTeam.Id(context), id, cancellationToken);
        return crawl is null ? ApiProblems.NotFound($"Crawl {id}") : TypedResults.Ok(CrawlResponse.From(crawl));
    }

    private static async Task<IResult> ListPagesAsync([Description("The crawl id, `crawl_…`.")] string id, HttpContext context, CrawlStore store, CancellationToken cancellationToken)
    {
        var crawl = await store.GetAsync(CurrentTeam.Id(context), id, cancellationToken);
        if (crawl is null)
        {
            return ApiProblems.NotFound($"Crawl {id}");
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var (limit, after) = ListCursor.Read(context.Request, JobRows.PagePrefix, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        var (pages, more) = await store.ListPagesAsync(crawl, after, limit, cancellationToken);
        var next = more && pages.Count > 0 ? ListCursor.Encode(pages[^1].RowKey) : null;
        return TypedResults.Ok(new CrawlPagesPage(pages.Select(CrawlPageResponse.From).ToList(), next));
    }
}
