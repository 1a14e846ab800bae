using Webhooks.Functions.Api;
using Webhooks.Functions.Events;

namespace Webhooks.Functions.Portal.Pages;

/// <summary>The team's events, newest first, filtered by type and creation time: the listing <c>GET /v1/events</c> serves.</summary>
internal sealed class EventsModel(DeliveryLogListing listing) : PortalPageModel
{
    public string? Type { get; private set; }
    public string SinceText { get; private set; } = "";
    public string UntilText { get; private set; } = "";
    public ListPage<EventListItem>? Listing { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        Type = ListQuery.OneOf(Request, "type", EventTypes.All, validation);
        var (since, until) = PortalQuery.TimeWindow(Request, validation);
        SinceText = PortalFormat.InputTime(since);
        UntilText = PortalFormat.InputTime(until);
        var after = ListQuery.CursorPosition(Request, IndexEntity.EventKind, validation);
        var limit = ListQuery.Limit(Request, validation);
        if (!Accept(validation))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        Listing = await listing.ListEventsAsync(TeamId, Type, resourceId: null, since, until, after, limit, cancellationToken);
    }
}
