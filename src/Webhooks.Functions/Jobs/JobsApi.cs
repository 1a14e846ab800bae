using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Api;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Jobs;

/// <summary>The batch routes of SPEC §3; the Crawling feature maps the crawl routes (<c>Crawling/CrawlsApi</c>).</summary>
internal static class JobsApi
{
    public const int MaxItems = 10_000;
    public const int MaxCustomIdLength = 128;

    public static RouteGroupBuilder MapJobsApi(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var batches = v1.MapGroup("/batches").WithTags(ApiTags.Batches);
        batches.MapPost("", CreateBatchAsync).AddEndpointFilter<CreateAdmissionFilter>()
            .WithName("CreateBatch").WithSummary("Create a batch")
            .WithDescription("Fetches every item's URL; `event.batch.completed` is raised once every item has settled.")
            .AcceptsJson<CreateBatchRequest>().AcceptsIdempotencyKey().ProducesCreated<BatchResponse>();
        batches.MapGet("/{id}", GetBatchAsync)
            .WithName("GetBatch").WithSummary("Get a batch").Produces<BatchResponse>().ProducesProblemDocument(StatusCodes.Status404NotFound);
        batches.MapGet("/{id}/items", ListItemsAsync)
            .WithName("ListBatchItems").WithSummary("List a batch's items").WithDescription("Items in the order they were sent.")
            .AcceptsCursorPaging(ListCursor.DefaultLimit, ListCursor.MaxLimit)
            .Produces<BatchItemsPage>().ProducesValidationProblemDocument().ProducesProblemDocument(StatusCodes.Status404NotFound);
        batches.MapGet("/{id}/items/{item}/content", GetItemContentAsync)
            .WithName("GetBatchItemContent").WithSummary("Get an item's fetched content")
            .WithDescription("The stored page body (at most 5 MiB) with its original content type. `item` is the custom_id, or the zero-based position of an item without one.")
            .Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream").ProducesProblemDocument(StatusCodes.Status404NotFound);
        return v1;
    }

    private static async Task<IResult> CreateBatchAsync(
        HttpContext context, BatchStore store, IdempotencyStore idempotency, IOptions<SecurityOptions> security, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        var validation = new RequestValidation();
        var items = ReadItems(validation, body.Root);
        var webhook = WebhookField.Read(validation, body.Root, "webhook", "webhook_url", security.Value.RequireHttpsWebhooks);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var teamId = CurrentTeam.Id(context);
        return await IdempotencyHandling.CreateAsync(context, body, teamId, JobKinds.Batch, idempotency,
            async (batchId, resuming, ct) =>
            {
                var batch = await store.CreateAsync(teamId, batchId, items, webhook, resuming, ct);
                return (BatchResponse.From(batch), $"/v1/batches/{batch.PartitionKey}");
            },
            cancellationToken);
    }

    private static List<BatchItemRequest> ReadItems(RequestValidation validation, JsonElement root)
    {
        var items = new List<BatchItemRequest>();
        if (RequestValidation.Property(root, "items") is not { } array)
        {
            validation.Add("items", "is required.");
            return items;
        }
        if (array.ValueKind != JsonValueKind.Array)
        {
            validation.Add("items", "must be an array.");
            return items;
        }
        var count = array.GetArrayLength();
        if (count is < 1 or > MaxItems)
        {
            validation.Add("items", $"must hold between 1 and {MaxItems:N0} items.");
            return items;
        }
        var customIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var path = $"items[{index}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                validation.Add(path, "must be an object with url and an optional custom_id.");
                index++;
                continue;
            }
            var url = validation.RequiredString(element, "url", path + ".url", FetchUrlRules.MaxLength);
            if (url is not null && FetchUrlRules.Check(url) is { } urlError)
            {
                validation.Add(path + ".url", urlError);
                url = null;
            }
            var customId = validation.OptionalString(element, "custom_id", path + ".custom_id", MaxCustomIdLength);
            if (customId is not null && !customIds.TryAdd(customId, index))
            {
                validation.Add(path + ".custom_id", $"must be unique in the batch; items[{customIds[customId]}] has it too.");
                customId = null;
            }
            if (url is not null)
            {
                items.Add(new BatchItemRequest(url, customId));
            }
            index++;
        }
        return items;
    }

    private static async Task<IResult> GetBatchAsync([Description("The batch id, `batch_…`.")] string id, HttpContext context, BatchStore store, CancellationToken cancellationToken)
    {
        var batch = await store.GetAsync(CurrentTeam.Id(context), id, cancellationToken);
        return batch is null ? ApiProblems.NotFound($"Batch {id}") : TypedResults.Ok(BatchResponse.From(batch));
    }

    private static async Task<IResult> ListItemsAsync([Description("The batch id, `batch_…`.")] string id, HttpContext context, BatchStore store, CancellationToken cancellationToken)
    {
        var batch = await store.GetAsync(CurrentTeam.Id(context), id, cancellationToken);
        if (batch is null)
        {
            return ApiProblems.NotFound($"Batch {id}");
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var (limit, after) = ListCursor.Read(context.Request, JobRows.ItemPrefix, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        var (items, more) = await store.ListItemsAsync(batch.PartitionKey, after, limit, cancellationToken);
        var next = more && items.Count > 0 ? ListCursor.Encode(items[^1].RowKey) : null;
        return TypedResults.Ok(new BatchItemsPage(items.Select(BatchItemResponse.From).ToList(), next));
    }

    private static async Task<IResult> GetItemContentAsync(
        [Description("The batch id, `batch_…`.")] string id,
        [Description("The item's custom_id, or the zero-based position of an item without one.")] string item,
        HttpContext context, BatchStore store, Storage.StorageAccount storage, CancellationToken cancellationToken)
    {
        var batch = await store.GetAsync(CurrentTeam.Id(context), id, cancellationToken);
        if (batch is null)
        {
            return ApiProblems.NotFound($"Batch {id}");
        }
        var found = await store.FindItemAsync(batch, item, cancellationToken);
        if (found is null)
        {
            return ApiProblems.NotFound($"Item {item} of batch {id}");
        }
        if (found.Status != JobStatus.Completed || found.BlobName is null)
        {
            return ApiProblems.NotFound($"Content of item {item} (status {found.Status})");
        }
        var download = await storage.Pages.GetBlobClient(found.BlobName).DownloadStreamingAsync(cancellationToken: cancellationToken);
        var contentType = found.ContentType ?? download.Value.Details.ContentType ?? "application/octet-stream";
        return TypedResults.Stream(download.Value.Content, contentType);
    }
}
