using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Portal;

/// <summary>What a person does in the portal, as the browser tests do it, and the checks every page gets.</summary>
public static class PortalKit
{
    /// <summary>Where the tests leave a screenshot of each page; the README shows them.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryPaths.Root, "docs", "portal");

    public static async Task SignInAsync(IPage page, string apiKey)
    {
        await page.GotoAsync("/portal");
        Assert.EndsWith("/portal/signin", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("API key").FillAsync(apiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        try
        {
            await page.WaitForURLAsync("**/portal/events");
        }
        catch (TimeoutException e)
        {
            // Say where the browser was and what the page said: a sign-in that answered with a message, or one that
            // had not answered yet, look the same from the wait alone.
            var text = await page.Locator("main").CountAsync() > 0 ? await page.Locator("main").First.InnerTextAsync() : await page.ContentAsync();
            throw new TimeoutException($"Signing in did not reach /portal/events: the page is {page.Url}, saying: {text}", e);
        }
    }

    /// <summary>
    /// Goes where a link of the navigation points and returns once that page has loaded, stylesheet included. The
    /// link's address is opened rather than the link clicked: waiting for the load that a click starts raced with it
    /// (a page measured before its stylesheet applied; a wait that missed the load event), opening it does not.
    /// </summary>
    public static async Task GoToAsync(IPage page, string navigationLink)
    {
        var link = page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = navigationLink, Exact = true });
        var path = await link.GetAttributeAsync("href");
        Assert.NotNull(path);
        await page.GotoAsync(path);
    }

    /// <summary>
    /// Reloads the page until <paramref name="locator"/>'s text satisfies <paramref name="done"/> (bounded): for work
    /// the app finishes in the background, such as a delivery's attempts.
    /// </summary>
    public static Task<string> ReloadUntilAsync(IPage page, ILocator locator, Func<string, bool> done, string what) =>
        Eventually.WaitAsync(async () =>
        {
            await page.ReloadAsync();
            return await locator.CountAsync() > 0 ? await locator.First.InnerTextAsync() : "";
        }, done, what: what);

    public static Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }

    /// <summary>axe-core's rules (WCAG 2.x A and AA and best practices) run in the page: no serious or critical violation.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")
            .ToList();
        Assert.True(serious.Count == 0, $"axe found on {page.Url}:\n{string.Join("\n", serious)}");
    }
}
