using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Api;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Events;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Portal.Pages;

/// <summary>
/// One event with every delivery and attempt (what <c>GET /v1/events/{id}</c> answers), and its redelivery
/// (<c>POST /v1/events/{id}/redeliver</c>). Another team's event is not found, as in the API.
/// </summary>
internal sealed class EventModel(
    DeliveryLogListing listing, DeliveryLog log, EventRaiser raiser, TeamStore teams, IOptions<SecurityOptions> security) : PortalPageModel
{
    public static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    [FromRoute]
    public string Id { get; set; } = "";

    [BindProperty]
    public string? RedeliveryUrl { get; set; }

    /// <summary>The delivery a redelivery just started, from the redirect after the form post.</summary>
    [FromQuery(Name = "redelivered")]
    public string? Redelivered { get; set; }

    public EventDetail? Event { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Redelivered is not null && !Ids.IsValid(Redelivered, Ids.DeliveryPrefix))
        {
            Redelivered = null;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostRedeliverAsync(CancellationToken cancellationToken)
    {
        var evt = await log.FindEventAsync(TeamId, Id, cancellationToken);
        if (evt is null)
        {
            await LoadAsync(cancellationToken);
            return Page();
        }

        var validation = new RequestValidation();
        var url = string.IsNullOrWhiteSpace(RedeliveryUrl) ? null : RedeliveryUrl.Trim();
        if (url is not null && WebhookUrlRules.Check(url, security.Value.RequireHttpsWebhooks) is { } urlError)
        {
            validation.Add("URL", urlError);
        }
        url ??= await EventsApi.DefaultRedeliveryUrlAsync(evt, log, teams, cancellationToken);
        if (url is null)
        {
            validation.Add("URL", "is required: the event was never delivered and the team has no default webhook URL.");
        }
        if (!Accept(validation))
        {
            await LoadAsync(cancellationToken);
            return Page();
        }

        var delivery = await raiser.RedeliverAsync(evt, url!, cancellationToken);
        return RedirectToPage("/Event", new { id = evt.EventId, redelivered = delivery.DeliveryId });
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Event = await listing.ReadEventAsync(TeamId, Id, cancellationToken);
        if (Event is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        else if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
    }
}
