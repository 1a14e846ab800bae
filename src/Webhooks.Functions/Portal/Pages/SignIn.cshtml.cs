using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Portal.Pages;

/// <summary>Signs in with an API key: the key is checked, then held in the session cookie (<see cref="PortalCookies"/>).</summary>
internal sealed class SignInModel(TeamStore teams, PortalCookies cookies) : PageModel
{
    public const int MaxApiKeyLength = 200;

    [BindProperty]
    public string? ApiKey { get; set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        // Already signed in with a working key: straight to the events.
        var current = PortalCookies.ReadApiKey(Request);
        if (current is not null && await teams.FindTeamIdByApiKeyAsync(current, cancellationToken) is not null)
        {
            return RedirectToPage("/Events");
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var apiKey = ApiKey?.Trim();
        if (string.IsNullOrEmpty(apiKey))
        {
            Errors = ["Enter an API key."];
        }
        else if (apiKey.Length > MaxApiKeyLength || await teams.FindTeamIdByApiKeyAsync(apiKey, cancellationToken) is null)
        {
            Errors = ["That API key is not valid. Check that you copied all of it."];
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        cookies.SignIn(Response, apiKey!);
        return RedirectToPage("/Events");
    }
}
