using Webhooks.Functions.Api;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Events;

/// <summary>The delivery log across events (SPEC §5): list deliveries by status and time, recover failed ones in bulk.</summary>
internal static class DeliveriesApi
{
    public static RouteGroupBuilder MapDeliveriesApi(this RouteGroupBuilder v1)
    {
        var deliveries = v1.MapGroup("/deliveries").WithTags(ApiTags.Deliveries);
        deliveries.MapGet("", ListDeliveriesAsync)
            .WithName("ListDeliveries").WithSummary("List deliveries")
            .WithDescription("Newest first. With a status filter a page may hold fewer than limit deliveries and still have a next_cursor.")
            .WithQueryParameter(new ApiParameterMetadata("status", ApiParameterLocation.Query, "Only deliveries in this state.", ApiValueKind.Text)
            {
                AllowedValues = DeliveryStatus.All,
            })
            .WithQueryParameter(new ApiParameterMetadata("endpoint_id", ApiParameterLocation.Query, "Only deliveries to this endpoint.", ApiValueKind.Text))
            .WithQueryParameter(new ApiParameterMetadata("since", ApiParameterLocation.Query, "Only deliveries created at or after this time.", ApiValueKind.DateTime))
            .WithQueryParameter(new ApiParameterMetadata("until", ApiParameterLocation.Query, "Only deliveries created before this time.", ApiValueKind.DateTime))
            .AcceptsCursorPaging(ListQuery.DefaultLimit, ListQuery.MaxLimit)
            .Produces<ListPage<DeliveryListItem>>().ProducesValidationProblemDocument();
        deliveries.MapPost("/recover", RecoverAsync)
            .WithName("RecoverDeliveries").WithSummary("Recover failed deliveries")
            .WithDescription("Redelivers every failed delivery created in the window (at most 14 days) and says how many.")
            .AcceptsJson<RecoverRequest>().Produces<RecoverResponse>(StatusCodes.Status202Accepted);
        return v1;
    }

    private static async Task<IResult> ListDeliveriesAsync(HttpContext context, DeliveryLogListing listing, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var validation = new RequestValidation();
        var status = ListQuery.OneOf(request, "status", DeliveryStatus.All, validation);
        var endpointId = request.Query["endpoint_id"].ToString() is { Length: > 0 } id ? id : null;
        if (endpointId is not null && !Ids.IsValid(endpointId, Ids.EndpointPrefix))
        {
            validation.Add("endpoint_id", "must be an endpoint id (ep_ and 16 lowercase letters or digits).");
        }
        var since = ListQuery.Time(request, "since", validation);
        var until = ListQuery.Time(request, "until", validation);
        if (since is { } s && until is { } u && s >= u)
        {
            validation.Add("until", "must be later than since.");
        }
        var after = ListQuery.CursorPosition(request, IndexEntity.DeliveryKind, validation);
        var limit = ListQuery.Limit(request, validation);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return TypedResults.Ok(await listing.ListDeliveriesAsync(
            CurrentTeam.Id(context), MatchOrNull(status, endpointId), since, until, after, limit, cancellationToken));
    }

    private static Func<DeliveryEntity, bool>? MatchOrNull(string? status, string? endpointId)
    {
        if (status is null && endpointId is null)
        {
            return null;
        }
        return d => (status is null || d.Status == status) && (endpointId is null || d.EndpointId == endpointId);
    }

    private static async Task<IResult> RecoverAsync(
        HttpContext context, DeliveryRecovery recovery, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        var validation = new RequestValidation();
        if (RequestValidation.Property(body.Root, "since") is null)
        {
            validation.Add("since", "is required.");
        }
        var since = validation.OptionalTime(body.Root, "since", "since");
        var until = validation.OptionalTime(body.Root, "until", "until") ?? time.GetUtcNow();
        if (since is { } start)
        {
            if (start >= until)
            {
                validation.Add("until", "must be later than since (until defaults to now).");
            }
            else if (until - start > DeliveryRecovery.MaxWindow)
            {
                validation.Add("since", $"the window from since to until must be at most {DeliveryRecovery.MaxWindow.TotalDays:0} days.");
            }
        }
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var count = await recovery.RecoverAsync(CurrentTeam.Id(context), since!.Value, until, cancellationToken);
        return TypedResults.Accepted((string?)null, new RecoverResponse(count));
    }
}
