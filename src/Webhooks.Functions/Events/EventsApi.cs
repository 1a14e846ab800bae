using System.ComponentModel;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Api;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Events;

/// <summary>The event log (SPEC §5 "Delivery log and recovery"): list events, inspect one with every attempt, redeliver it.</summary>
internal static class EventsApi
{
    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder v1)
    {
        var events = v1.MapGroup("/events").WithTags(ApiTags.Events);
        events.MapGet("", ListEventsAsync)
            .WithName("ListEvents").WithSummary("List events").WithDescription("Newest first, each with its deliveries' status and attempt.")
            .WithQueryParameter(new ApiParameterMetadata("type", ApiParameterLocation.Query, "Only events of this type.", ApiValueKind.Text)
            {
                AllowedValues = EventTypes.All,
            })
            .WithQueryParameter(new ApiParameterMetadata("resource_id", ApiParameterLocation.Query, "Only events of this job (batch or crawl id).", ApiValueKind.Text))
            .AcceptsCursorPaging(ListQuery.DefaultLimit, ListQuery.MaxLimit)
            .Produces<ListPage<EventListItem>>().ProducesValidationProblemDocument();
        events.MapGet("/{id}", GetEventAsync)
            .WithName("GetEvent").WithSummary("Get an event with every delivery and attempt")
            .Produces<EventDetail>().ProducesProblemDocument(StatusCodes.Status404NotFound);
        events.MapPost("/{id}/redeliver", RedeliverAsync)
            .WithName("RedeliverEvent").WithSummary("Redeliver an event")
            .WithDescription("Starts a new delivery of the event (new delivery id, same event id) at attempt 1. The body is optional.")
            .AcceptsJson<RedeliverRequest>(isOptional: true)
            .Produces<DeliverySummary>(StatusCodes.Status202Accepted)
            .WithResponseHeader(StatusCodes.Status202Accepted, "Location", "The path of the event, whose deliveries now include the new one.", ApiValueKind.UriReference)
            .ProducesProblemDocument(StatusCodes.Status404NotFound);
        return v1;
    }

    private static async Task<IResult> ListEventsAsync(HttpContext context, DeliveryLogListing listing, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var validation = new RequestValidation();
        var type = ListQuery.OneOf(request, "type", EventTypes.All, validation);
        var resourceId = ListQuery.Text(request, "resource_id", validation);
        var after = ListQuery.CursorPosition(request, IndexEntity.EventKind, validation);
        var limit = ListQuery.Limit(request, validation);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        return TypedResults.Ok(await listing.ListEventsAsync(
            CurrentTeam.Id(context), type, resourceId, since: null, until: null, after, limit, cancellationToken));
    }

    private static async Task<IResult> GetEventAsync([Description("The event id, `event_…`.")] string id, HttpContext context, DeliveryLogListing listing, CancellationToken cancellationToken) =>
        await listing.ReadEventAsync(CurrentTeam.Id(context), id, cancellationToken) is { } evt
            ? TypedResults.Ok(evt)
            : ApiProblems.NotFound($"Event '{id}'");

    /// <summary>
    /// A new delivery of the event (new delivery id, attempt 1 of a fresh cycle), to the given URL, else where the
    /// event was first delivered, else the team's default URL now.
    /// </summary>
    private static async Task<IResult> RedeliverAsync(
        [Description("The event id, `event_…`.")] string id, HttpContext context, DeliveryLog log, EventRaiser raiser, TeamStore teams, IOptions<SecurityOptions> security,
        CancellationToken cancellationToken)
    {
        var teamId = CurrentTeam.Id(context);
        var evt = await log.FindEventAsync(teamId, id, cancellationToken);
        if (evt is null)
        {
            return ApiProblems.NotFound($"Event '{id}'");
        }

        var validation = new RequestValidation();
        string? url = null;
        if (HasBody(context.Request))
        {
            var (body, problem) = await JsonBody.ReadAsync(context.Request, cancellationToken);
            if (body is null)
            {
                return problem!;
            }
            url = validation.OptionalString(body.Root, "url", "url", WebhookUrlRules.MaxLength * 2);
            if (url is not null && WebhookUrlRules.Check(url, security.Value.RequireHttpsWebhooks) is { } urlError)
            {
                validation.Add("url", urlError);
            }
        }
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        url ??= await DefaultRedeliveryUrlAsync(evt, log, teams, cancellationToken);
        if (url is null)
        {
            validation.Add("url", "is required: the event was never delivered and the team has no default_webhook_url.");
            return validation.ToProblem();
        }

        var delivery = await raiser.RedeliverAsync(evt, url, cancellationToken);
        return TypedResults.Accepted($"/v1/events/{evt.EventId}", DeliverySummary.From(delivery));
    }

    /// <summary>
    /// Where a redelivery with no URL given goes: where the event was first delivered, else the team's default URL now;
    /// null when there is neither.
    /// </summary>
    public static async Task<string?> DefaultRedeliveryUrlAsync(EventEntity evt, DeliveryLog log, TeamStore teams, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(teams);
        var deliveries = await log.ReadDeliveriesAsync(evt.PartitionKey, cancellationToken);
        return deliveries.Count > 0 ? deliveries[0].Url : (await teams.GetAsync(evt.TeamId, cancellationToken))?.DefaultWebhookUrl;
    }

    /// <summary>The body is optional: an empty POST (no Content-Length or 0, not chunked) means "no options".</summary>
    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
}
