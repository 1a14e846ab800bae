using Microsoft.AspNetCore.Mvc;

namespace Webhooks.Functions.Portal.Pages;

/// <summary><c>/portal</c> itself: the events page when signed in (the base class sends everyone else to sign in).</summary>
internal sealed class IndexModel : PortalPageModel
{
    public IActionResult OnGet() => RedirectToPage("/Events");
}
