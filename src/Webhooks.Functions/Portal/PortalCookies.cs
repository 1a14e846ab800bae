namespace Webhooks.Functions.Portal;

/// <summary>
/// The portal's sign-in: the API key itself, in a cookie script cannot read (<c>HttpOnly</c>), that no other site's
/// page can make the browser send (<c>SameSite=Strict</c>), sent only over HTTPS outside Development, and only to
/// <c>/portal</c>. The key is checked against the team store on every request, so a key that stops working signs the
/// portal out at once.
/// </summary>
internal sealed class PortalCookies(IHostEnvironment environment)
{
    public const string SessionCookieName = "webhooks_portal_session";
    public const string AntiforgeryCookieName = "webhooks_portal_csrf";

    public static string? ReadApiKey(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Cookies[SessionCookieName] is { Length: > 0 } key ? key : null;
    }

    public void SignIn(HttpResponse response, string apiKey)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Append(SessionCookieName, apiKey, Options());
    }

    public void SignOut(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Delete(SessionCookieName, Options());
    }

    private CookieOptions Options() => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = !environment.IsDevelopment(),
        Path = PortalSetup.Path,
        IsEssential = true,
    };
}
