using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Api;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Events;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Portal.Pages;

/// <summary>A test ping to a URL: what <c>POST /v1/webhooks/test</c> does, with the same URL rules.</summary>
internal sealed class PingModel(PingSender pings, IOptions<SecurityOptions> security) : PortalPageModel
{
    [BindProperty]
    public string? TargetUrl { get; set; }

    public PingResponse? Result { get; private set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var url = TargetUrl?.Trim();
        if (string.IsNullOrEmpty(url))
        {
            validation.Add("URL", "is required.");
        }
        else if (WebhookUrlRules.Check(url, security.Value.RequireHttpsWebhooks) is { } urlError)
        {
            validation.Add("URL", urlError);
        }
        if (!Accept(validation))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var (evt, delivery, attempt) = await pings.SendAsync(TeamId, url!, cancellationToken);
        Result = new PingResponse(evt.EventId, delivery.DeliveryId, attempt.Outcome, attempt.StatusCode, attempt.DurationMs, attempt.Error,
            attempt.ResponseExcerpt);
        return Page();
    }
}
