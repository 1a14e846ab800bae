using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationParts;

namespace Webhooks.Functions.Portal;

/// <summary>
/// The delivery portal (SPEC §12): Razor Pages under <c>/portal</c>, served by the same pipeline in both hosts, with
/// their own sign-in cookie, anti-forgery tokens on every form and security headers that let nothing from outside in.
/// </summary>
internal static class PortalSetup
{
    public const string Path = "/portal";
    public const string StylesheetPath = Path + "/portal.css";

    /// <summary>
    /// Nothing but the app's own stylesheet and forms: no script at all, no frames, no outside origin. A page that
    /// needed more would have to say so here.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IServiceCollection AddPortal(this IServiceCollection services, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        services.AddRazorPages(options => options.RootDirectory = "/Portal/Pages")
            .ConfigureApplicationPartManager(parts =>
            {
                // MVC finds pages in the entry assembly, which is this one only when the app runs on its own; a host
                // that loads the app (tests, tools) would serve no page. Named explicitly, once, they are always found.
                var assembly = typeof(PortalSetup).Assembly;
                if (!parts.ApplicationParts.OfType<AssemblyPart>().Any(p => p.Assembly == assembly))
                {
                    foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                    {
                        parts.ApplicationParts.Add(part);
                    }
                }
            });
        services.Configure<MvcOptions>(options => options.Filters.Add<AntiforgeryFailurePage>());
        services.AddAntiforgery(options =>
        {
            options.FormFieldName = "__csrf";
            options.HeaderName = null;
            options.Cookie.Name = PortalCookies.AntiforgeryCookieName;
            options.Cookie.Path = Path;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });
        services.AddSingleton<PortalCookies>();
        // One key ring for every instance of the app, or a form posted to another instance than the one that rendered
        // it would be refused as expired.
        services.AddDataProtection().SetApplicationName("Webhooks.Functions");
        services.AddSingleton<TableKeyRing>();
        services.AddOptions<KeyManagementOptions>()
            .Configure<TableKeyRing>((options, keyRing) => options.XmlRepository = keyRing);
        // Data Protection reads its key ring at start-up in a hosted service of its own. Ours is in storage, which the
        // app sets up after it starts listening (Hosting/StorageStartup.cs): read then, it found no table and logged an
        // error at every fresh start. The ring is read at the first portal form instead.
        foreach (var prefetch in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "DataProtectionHostedService").ToList())
        {
            services.Remove(prefetch);
        }
        return services;
    }

    /// <summary>Security headers on every portal answer, error pages included, set before anything is written.</summary>
    public static IApplicationBuilder UsePortalSecurityHeaders(this IApplicationBuilder app) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), portal => portal.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            // Pages show signing secrets and a team's data: no cache, shared or private, may keep them. The same values
            // anti-forgery sets on a page with a form, so that it has nothing to override (and warn about).
            headers.CacheControl = "no-cache, no-store";
            headers.Pragma = "no-cache";
            return next(context);
        }));

    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder app)
    {
        app.MapRazorPages();
        app.MapGet(StylesheetPath, () => TypedResults.Text(PortalStylesheet.Text, "text/css; charset=utf-8")).ExcludeFromDescription();
        return app;
    }
}
