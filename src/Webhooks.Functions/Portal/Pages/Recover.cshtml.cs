using Microsoft.AspNetCore.Mvc;
using Webhooks.Functions.Api;
using Webhooks.Functions.Events;

namespace Webhooks.Functions.Portal.Pages;

/// <summary>Bulk recovery of a window's failed deliveries: what <c>POST /v1/deliveries/recover</c> does, with its rules.</summary>
internal sealed class RecoverModel(DeliveryRecovery recovery, TimeProvider time) : PortalPageModel
{
    [BindProperty]
    public string? Since { get; set; }

    [BindProperty]
    public string? Until { get; set; }

    public int? Recovered { get; private set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        DateTimeOffset? since = null;
        if (string.IsNullOrWhiteSpace(Since))
        {
            validation.Add("Since", "is required.");
        }
        else if (ApiTime.TryParse(Since, out var start))
        {
            since = start;
        }
        else
        {
            validation.Add("Since", "must be a date and time such as 2025-01-15T10:00.");
        }
        var until = time.GetUtcNow();
        if (!string.IsNullOrWhiteSpace(Until))
        {
            if (ApiTime.TryParse(Until, out var end))
            {
                until = end;
            }
            else
            {
                validation.Add("Until", "must be a date and time such as 2025-01-15T10:00.");
            }
        }
        if (since is { } from && validation.IsValid)
        {
            if (from >= until)
            {
                validation.Add("Until", "must be later than since (empty means now).");
            }
            else if (until - from > DeliveryRecovery.MaxWindow)
            {
                validation.Add("Since", $"the window from since to until must be at most {DeliveryRecovery.MaxWindow.TotalDays:0} days.");
            }
        }
        if (!Accept(validation))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Recovered = await recovery.RecoverAsync(TeamId, since!.Value, until, cancellationToken);
        return Page();
    }
}
