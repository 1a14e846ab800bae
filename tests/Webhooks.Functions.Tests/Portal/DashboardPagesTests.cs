using System.Globalization;
using System.Net;
using Microsoft.Playwright;
using Webhooks.Functions.Tests.Delivery;
using Webhooks.Functions.Tests.Infrastructure;
using Webhooks.Functions.Tests.Stats;
using static Webhooks.Functions.Tests.Events.EventLogKit;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Portal;

/// <summary>
/// SPEC §14 in the portal, in a real Chromium: the Dashboard page and each endpoint's chart, server-rendered SVG with
/// its figures as a table for screen readers, no script, the strict CSP unchanged, and something useful before any traffic.
/// </summary>
public sealed class DashboardPagesTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string StrictPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    [Fact]
    public async Task Dashboard_TeamWithNoTrafficYet_ShowsAnEmptyChartOfEveryHour_AndHowToStart_OnAPhone()
    {
        var team = await CreateTeamAsync(fixture.App, "Portal dashboard empty");
        var page = await fixture.NewPageAsync(width: 390, height: 844);
        await PortalKit.SignInAsync(page, team.ApiKey);

        await PortalKit.GoToAsync(page, "Dashboard");

        await Assertions.Expect(page.GetByText("No delivery attempts in the last 24 hours yet")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "add an endpoint" })).ToHaveAttributeAsync("href", "/portal/endpoints");
        await Assertions.Expect(page.GetByRole(AriaRole.Img)).ToHaveCountAsync(1);
        Assert.Equal(24, await page.Locator("table tbody tr").CountAsync());
        Assert.Equal(0, await page.Locator("script").CountAsync());
        var pageWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(pageWidth <= 390, $"The dashboard is {pageWidth} px wide on a 390 px screen.");
        await PortalKit.AssertAccessibleAsync(page);
        await PortalKit.ScreenshotAsync(page, "dashboard-phone");

        // Opened rather than clicked, as PortalKit.GoToAsync does: a wait for the load a click starts races with it.
        Assert.Equal("?range=30d", await page.GetByRole(AriaRole.Link, new() { Name = "last 30 days" }).GetAttributeAsync("href"));
        await page.GotoAsync("/portal/dashboard?range=30d");
        Assert.Equal(30, await page.Locator("table tbody tr").CountAsync());
        await PortalKit.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task DashboardAndEndpointChart_AfterRealDeliveries_TableShowsTheTeamsAndTheEndpointsCounts()
    {
        await using var app = await TestApp.StartAsync(StatsKit.OneAttemptEach());
        await using var receiver = await StatsKit.MixedReceiverAsync();
        var team = await CreateTeamAsync(app, "Portal dashboard");
        using var client = app.Client(team.ApiKey);
        var endpoint = await (await client.PostAsync("/v1/endpoints", Json($$"""{"url":"{{receiver.Url("/hooks/ok")}}"}"""))).AssertJsonAsync(HttpStatusCode.Created);
        var endpointId = endpoint.GetProperty("id").GetString()!;
        // Two events to the endpoint, then job webhooks: one more delivered, one 500 (team-wide only).
        foreach (var webhook in new[] { null, null, receiver.Url("/hooks/ok"), receiver.Url("/hooks/fail") })
        {
            await StatsKit.WaitForEndAsync(app, await DeliveryTestKit.RaiseAsync(app, team.Id, webhook));
        }
        var page = await fixture.NewPageAsync(app);
        await PortalKit.SignInAsync(page, team.ApiKey);

        await PortalKit.GoToAsync(page, "Dashboard");
        var response = await page.ReloadAsync();
        Assert.Equal(StrictPolicy, (await response!.AllHeadersAsync())["content-security-policy"]);
        Assert.Equal(0, await page.Locator("script").CountAsync());
        Assert.Equal(new long[] { 4, 3, 0, 0, 1, 0, 0 }, await TableSumsAsync(page));
        await Assertions.Expect(page.Locator("dl.facts")).ToContainTextAsync("Attempts4");
        await Assertions.Expect(page.Locator("svg rect.s-5xx")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("svg polyline.p95")).ToHaveCountAsync(1);
        await PortalKit.AssertAccessibleAsync(page);
        await PortalKit.ScreenshotAsync(page, "dashboard");

        await page.GotoAsync($"/portal/endpoints/{endpointId}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Deliveries over time" })).ToBeVisibleAsync();
        Assert.Equal(new long[] { 2, 2, 0, 0, 0, 0, 0 }, await TableSumsAsync(page));
        await PortalKit.AssertAccessibleAsync(page);
        await PortalKit.ScreenshotAsync(page, "endpoint-chart");

        await page.GotoAsync($"/portal/endpoints/{endpointId}?range=30d");
        Assert.Equal(30, await page.Locator("table tbody tr").CountAsync());
        Assert.Equal(new long[] { 2, 2, 0, 0, 0, 0, 0 }, await TableSumsAsync(page));
    }

    /// <summary>The chart table's columns summed over its rows: attempts, delivered, 3xx, 4xx, 5xx, timeout, connection.</summary>
    private static async Task<long[]> TableSumsAsync(IPage page)
    {
        var sums = new long[7];
        foreach (var row in await page.Locator("table tbody tr").AllAsync())
        {
            var cells = await row.Locator("td").AllTextContentsAsync();
            for (var i = 0; i < sums.Length; i++)
            {
                sums[i] += long.Parse(cells[i], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            }
        }
        return sums;
    }
}
