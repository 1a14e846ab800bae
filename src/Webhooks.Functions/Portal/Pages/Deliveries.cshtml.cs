using Webhooks.Functions.Api;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Endpoints;
using Webhooks.Functions.Events;

namespace Webhooks.Functions.Portal.Pages;

/// <summary>
/// The team's deliveries, newest first, filtered by status, the class of the last status code, endpoint and creation
/// time: the listing <c>GET /v1/deliveries</c> serves, with the status-code filter added.
/// </summary>
internal sealed class DeliveriesModel(DeliveryLogListing listing, EndpointStore endpoints) : PortalPageModel
{
    public string? Status { get; private set; }
    public string? Endpoint { get; private set; }
    public IReadOnlyList<EndpointEntity> Endpoints { get; private set; } = [];
    public string? Code { get; private set; }
    public string SinceText { get; private set; } = "";
    public string UntilText { get; private set; } = "";
    public ListPage<DeliveryListItem>? Listing { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        Status = ListQuery.OneOf(Request, "status", DeliveryStatus.All, validation);
        Code = ListQuery.OneOf(Request, "code", StatusCodeClass.Choices.Select(c => c.Value).ToList(), validation);
        Endpoints = await endpoints.ListAsync(TeamId, cancellationToken);
        Endpoint = ListQuery.OneOf(Request, "endpoint", Endpoints.Select(e => e.EndpointId).ToList(), validation);
        var (since, until) = PortalQuery.TimeWindow(Request, validation);
        SinceText = PortalFormat.InputTime(since);
        UntilText = PortalFormat.InputTime(until);
        var after = ListQuery.CursorPosition(Request, IndexEntity.DeliveryKind, validation);
        var limit = ListQuery.Limit(Request, validation);
        if (!Accept(validation))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var status = Status;
        var code = Code;
        var endpointId = Endpoint;
        Func<DeliveryEntity, bool>? match = status is null && code is null && endpointId is null ? null
            : d => (status is null || d.Status == status) && (code is null || StatusCodeClass.Matches(code, d.LastStatusCode))
                && (endpointId is null || d.EndpointId == endpointId);
        Listing = await listing.ListDeliveriesAsync(TeamId, match, since, until, after, limit, cancellationToken);
    }
}
