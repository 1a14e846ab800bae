using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Webhooks.Functions.Api;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Portal;

/// <summary>
/// Every page behind sign-in: the session cookie's API key must belong to a team (else the sign-in page), and the
/// team's rate limit applies as it does to the API. <see cref="TeamId"/> is the team every query of the page is for,
/// so another team's resource is simply not found.
/// </summary>
internal abstract class PortalPageModel : PageModel
{
    /// <summary>The signed-in team; set before any handler runs.</summary>
    public string TeamId { get; private set; } = "";

    /// <summary>Problems with what the user sent, one readable sentence each, shown above the form.</summary>
    public IReadOnlyList<string> Errors { get; protected set; } = [];

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var services = HttpContext.RequestServices;
        var apiKey = PortalCookies.ReadApiKey(Request);
        var teamId = apiKey is null ? null : await services.GetRequiredService<TeamStore>().FindTeamIdByApiKeyAsync(apiKey, HttpContext.RequestAborted);
        if (teamId is null)
        {
            context.Result = RedirectToPage("/SignIn");
            return;
        }
        if (services.GetRequiredService<TeamRateLimiter>().TryAcquire(teamId) is { } retryAfter)
        {
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            context.Result = new ContentResult
            {
                StatusCode = StatusCodes.Status429TooManyRequests,
                ContentType = "text/plain; charset=utf-8",
                Content = "Too many requests for this team right now; wait a few seconds and reload.",
            };
            return;
        }
        TeamId = teamId;
        CurrentTeam.Set(HttpContext, teamId);
        await next();
    }

    /// <summary>Keeps the validation's problems for the page, and says whether there were none.</summary>
    protected bool Accept(RequestValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        Errors = validation.Messages.ToList();
        return validation.IsValid;
    }
}
