using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Webhooks.Functions.Portal.Pages;

/// <summary>Signing out forgets the session cookie; only a form post (with its anti-forgery token) does it.</summary>
internal sealed class SignOutModel(PortalCookies cookies) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/SignIn");

    public IActionResult OnPost()
    {
        cookies.SignOut(Response);
        return RedirectToPage("/SignIn");
    }
}
