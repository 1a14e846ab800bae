using System.Net;
using Microsoft.Playwright;
using Webhooks.Functions.Tests.Events;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Events.EventLogKit;

namespace Webhooks.Functions.Tests.Portal;

/// <summary>
/// The portal (SPEC §12) in a real Chromium against the real app and Azurite: what a customer does, page by page, with
/// an accessibility check and a screenshot of each page. Each test signs in as its own team.
/// </summary>
public sealed class PortalBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task Portal_FailedDeliveryFoundByStatusCode_RedeliveredToWorkingReceiver_IsDelivered()
    {
        var team = await CreateTeamAsync(App, "Portal walk-through");
        await using var failing = await RecordingReceiver.StartAsync();
        failing.Status = 500;
        failing.ResponseBody = "receiver is down";
        await using var working = await RecordingReceiver.StartAsync();
        var eventId = await RaiseAsync(App, team.Id, failing.Url);
        using var client = App.Client(team.ApiKey);
        var failed = Assert.Single(await WaitForDeliveriesAsync(client, "failed", 1));
        var deliveryId = failed.GetProperty("id").GetString()!;
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/portal");
        await PortalKit.AssertAccessibleAsync(page);
        await PortalKit.ScreenshotAsync(page, "sign-in");
        await PortalKit.SignInAsync(page, team.ApiKey);
        Assert.DoesNotContain(team.ApiKey, page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = eventId })).ToBeVisibleAsync();
        await PortalKit.AssertAccessibleAsync(page);
        await PortalKit.ScreenshotAsync(page, "events");

        await PortalKit.GoToAsync(page, "Deliveries");
        await page.Locator("select[name=status]").SelectOptionAsync("failed");
        await page.GetByLabel("Last status code").SelectOptionAsync("4xx");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(page.GetByText("No deliveries match.")).ToBeVisibleAsync();
        await page.GetByLabel("Last status code").SelectOptionAsync("5xx");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = deliveryId });
        await Assertions.Expect(row).ToContainTextAsync("failed");
        await Assertions.Expect(row).ToContainTextAsync("500");
        await PortalKit.AssertAccessibleAsync(page);
        await PortalKit.ScreenshotAsync(page, "deliveries");

        await row.GetByRole(AriaRole.Link, new() { Name = deliveryId }).ClickAsync();
        await page.WaitForURLAsync($"**/portal/events/{eventId}#{deliveryId}");
        var attempts = page.Locator($"section[id='{deliveryId}'] tbody tr");
        await Assertions.Expect(attempts).ToHaveCountAsync(3);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await Assertions.Expect(attempts.Nth(attempt)).ToContainTextAsync($"{attempt + 1}/3");
            await Assertions.Expect(attempts.Nth(attempt)).ToContainTextAsync("http_error");
            await Assertions.Expect(attempts.Nth(attempt)).ToContainTextAsync("500");
            await Assertions.Expect(attempts.Nth(attempt)).ToContainTextAsync("receiver is down");
        }

        await page.GetByLabel("URL").FillAsync(working.Url);
        await page.GetByRole(AriaRole.Button, new() { Name = "Redeliver" }).ClickAsync();
        var started = page.GetByRole(AriaRole.Status);
        await Assertions.Expect(started).ToContainTextAsync("Redelivery dlv_");
        var redeliveryId = await page.Locator(".message.info code").InnerTextAsync();
        var redelivery = page.Locator($"section[id='{redeliveryId}']");
        var shown = await PortalKit.ReloadUntilAsync(page, redelivery, text => text.Contains("delivered", StringComparison.Ordinal) && text.Contains("1/3", StringComparison.Ordinal)
            && text.Contains("200", StringComparison.Ordinal), "the redelivery shown delivered");
        Assert.Contains(working.Url, shown, StringComparison.Ordinal);
        var received = Assert.Single(working.Requests);
        Assert.Equal(eventId, received.EventId);
        Assert.Equal(redeliveryId, received.Header("X-Webhook-Delivery-Id"));
        await PortalKit.AssertAccessibleAsync(page);
        await PortalKit.ScreenshotAsync(page, "event");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/portal/signin");
        await page.GotoAsync("/portal/deliveries");
        Assert.EndsWith("/portal/signin", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Portal_RecoverWindowAfterReceiverOutage_RedeliversTheFailedDelivery()
    {
        var team = await CreateTeamAsync(App, "Portal recovery");
        await using var receiver = await RecordingReceiver.StartAsync();
        receiver.Status = 503;
        var eventId = await RaiseAsync(App, team.Id, receiver.Url);
        using var client = App.Client(team.ApiKey);
        await WaitForDeliveriesAsync(client, "failed", 1);
        receiver.Status = 200;
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, team.ApiKey);

        await PortalKit.GoToAsync(page, "Recover");
        var since = App.Services.GetRequiredService<TimeProvider>().GetUtcNow().AddHours(-1);
        await page.GetByLabel("Since").FillAsync(since.UtcDateTime.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Recover" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("1 failed delivery was redelivered.");
        await PortalKit.AssertAccessibleAsync(page);
        await PortalKit.ScreenshotAsync(page, "recover");
        var delivered = await WaitForDeliveriesAsync(client, "delivered", 1);
        Assert.Equal(eventId, Assert.Single(delivered).GetProperty("event_id").GetString());
        Assert.Equal(eventId, receiver.Accepted.Single().EventId);
    }

    [Fact]
    public async Task Portal_TestPingAndTeamSettingsAndSecretRotation_DoWhatTheApiDoes()
    {
        var team = await CreateTeamAsync(App, "Portal team");
        await using var receiver = await RecordingReceiver.StartAsync();
        receiver.ResponseBody = "pong";
        using var client = App.Client(team.ApiKey);
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, team.ApiKey);

        await PortalKit.GoToAsync(page, "Test ping");
        await page.GetByLabel("URL").FillAsync(receiver.Url);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send ping" }).ClickAsync();
        var result = page.Locator("dl.facts");
        await Assertions.Expect(result).ToContainTextAsync("delivered");
        await Assertions.Expect(result).ToContainTextAsync("200");
        await Assertions.Expect(result).ToContainTextAsync("pong");
        Assert.Equal("event.ping", Assert.Single(receiver.Requests).Header("X-Webhook-Event"));
        await PortalKit.AssertAccessibleAsync(page);
        await PortalKit.ScreenshotAsync(page, "ping");

        await PortalKit.GoToAsync(page, "Team");
        await page.GetByLabel("Default webhook URL").FillAsync(receiver.Url);
        await page.GetByLabel("Retry policy").SelectOptionAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Settings saved.");
        var settings = await client.GetJsonAsync("/v1/team");
        Assert.Equal(receiver.Url, settings.GetProperty("default_webhook_url").GetString());
        Assert.Equal("short", settings.GetProperty("retry_policy").GetString());

        await page.GetByRole(AriaRole.Button, new() { Name = "Reveal secret" }).ClickAsync();
        Assert.Equal(team.SigningSecret, await page.GetByLabel("Signing secret").InputValueAsync());
        Assert.DoesNotContain("whsec_", page.Url, StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("rotated");
        var rotated = await page.GetByLabel("Signing secret").InputValueAsync();
        Assert.NotEqual(team.SigningSecret, rotated);
        Assert.Equal(rotated, (await client.GetJsonAsync("/v1/team/signing-secret")).GetProperty("signing_secret").GetString());
        await PortalKit.AssertAccessibleAsync(page);
        await PortalKit.ScreenshotAsync(page, "team");
    }

    [Fact]
    public async Task Portal_OnAPhoneWidthScreen_FitsWithoutSidewaysScrolling()
    {
        var team = await CreateTeamAsync(App, "Portal phone");
        await using var receiver = await RecordingReceiver.StartAsync();
        await RaiseAsync(App, team.Id, receiver.Url);
        using var client = App.Client(team.ApiKey);
        await WaitForDeliveriesAsync(client, "delivered", 1);
        var page = await fixture.NewPageAsync(width: 390, height: 844);
        await PortalKit.SignInAsync(page, team.ApiKey);

        foreach (var (link, screenshot) in new[] { ("Deliveries", "deliveries-phone"), ("Events", "events-phone") })
        {
            await PortalKit.GoToAsync(page, link);
            var pageWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(pageWidth <= 390, $"{link} is {pageWidth} px wide on a 390 px screen.");
            await PortalKit.AssertAccessibleAsync(page);
            await PortalKit.ScreenshotAsync(page, screenshot);
        }
    }

    [Fact]
    public async Task SignIn_WrongKey_SaysSoAndStaysSignedOut()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/portal/signin");

        await page.GetByLabel("API key").FillAsync("whk_not_a_real_key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That API key is not valid.");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "webhooks_portal_session");
        await page.GotoAsync("/portal/events");
        Assert.EndsWith("/portal/signin", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_ValidKey_SessionCookieIsHttpOnlyStrictAndPagesCarryAStrictContentSecurityPolicy()
    {
        var team = await CreateTeamAsync(App, "Portal cookie");
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, team.ApiKey);

        var session = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "webhooks_portal_session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.Equal("/portal", session.Path);
        var response = await page.GotoAsync("/portal/deliveries");
        var headers = await response!.AllHeadersAsync();
        Assert.Equal("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            headers["content-security-policy"]);
        Assert.Contains("no-store", headers["cache-control"], StringComparison.Ordinal);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
    }

    [Fact]
    public async Task SignInRevealAndRotate_LoggedAtEveryLevel_LogNeitherTheApiKeyNorASigningSecret()
    {
        var logs = new RecordedLogs();
        var settings = FastDelivery();
        foreach (var category in new[] { "Default", "Microsoft.AspNetCore", "System.Net.Http.HttpClient", "Azure" })
        {
            settings[$"Logging:LogLevel:{category}"] = "Trace";
        }
        // Every level reaches the recorder; the console keeps its usual level, so the test run's output stays readable.
        await using var app = await TestApp.StartAsync(settings, services => services.AddSingleton<ILoggerProvider>(logs)
            .AddLogging(logging => logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(level => level >= LogLevel.Warning)));
        var team = await CreateTeamAsync(app, "Portal logs");
        var page = await fixture.NewPageAsync(app);

        await PortalKit.SignInAsync(page, team.ApiKey);
        await PortalKit.GoToAsync(page, "Team");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reveal secret" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();
        var rotated = await page.GetByLabel("Signing secret").InputValueAsync();

        Assert.Contains(logs.Lines, line => line.Contains("/portal/team", StringComparison.Ordinal));
        foreach (var secret in new[] { team.ApiKey, team.SigningSecret, rotated })
        {
            Assert.DoesNotContain(logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task FormPost_WithoutAntiforgeryToken_Returns400WithReadablePageAndChangesNothing()
    {
        var team = await CreateTeamAsync(App, "Portal csrf");
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, team.ApiKey);

        var response = await page.APIRequest.PostAsync("/portal/team?handler=Rotate", new() { Form = page.APIRequest.CreateFormData() });

        Assert.Equal((int)HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("This form has expired", await response.TextAsync(), StringComparison.Ordinal);
        using var client = App.Client(team.ApiKey);
        Assert.Equal(team.SigningSecret, (await client.GetJsonAsync("/v1/team/signing-secret")).GetProperty("signing_secret").GetString());
    }

    [Fact]
    public async Task EventPage_AnotherTeamsEvent_IsNotFound()
    {
        var owner = await CreateTeamAsync(App, "Portal owner");
        var other = await CreateTeamAsync(App, "Portal other");
        var eventId = await RaiseAsync(App, owner.Id, webhook: null);
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, other.ApiKey);

        var response = await page.GotoAsync($"/portal/events/{eventId}");

        Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"There is no event {eventId} for your team.");
        Assert.Equal(HttpStatusCode.NotFound, (await App.Client(other.ApiKey).GetAsync($"/v1/events/{eventId}")).StatusCode);
    }

    [Theory]
    [InlineData("Recover", "", "Since is required.")]
    [InlineData("Recover", "2020-01-01T00:00", "the window from since to until must be at most 14 days.")]
    [InlineData("Test ping", "not a url", "URL must be an absolute http or https URL.")]
    [InlineData("Test ping", "", "URL is required.")]
    [InlineData("Team", "ftp://example.com/hooks", "Default webhook URL must be an absolute http or https URL.")]
    public async Task Form_BadInput_ShowsReadableMessage(string navigationLink, string value, string message)
    {
        var team = await CreateTeamAsync(App, "Portal bad input");
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, team.ApiKey);
        await PortalKit.GoToAsync(page, navigationLink);

        var field = page.Locator("form.stack input").First;
        await field.FillAsync(value);
        var answer = await page.RunAndWaitForResponseAsync(
            () => page.Locator("form.stack button[type=submit]").First.ClickAsync(), response => response.Request.Method == "POST");

        Assert.Equal((int)HttpStatusCode.BadRequest, answer.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(message);
        await PortalKit.AssertAccessibleAsync(page);
    }

    [Theory]
    [InlineData("/portal/deliveries?code=6xx", "code must be one of")]
    [InlineData("/portal/deliveries?since=soon", "since must be an ISO 8601 time")]
    [InlineData("/portal/events?type=event.unknown", "type must be one of")]
    [InlineData("/portal/events?since=2025-02-01T00:00&until=2025-01-01T00:00", "until must be later than since.")]
    [InlineData("/portal/events?cursor=bogus", "cursor is not a cursor")]
    public async Task ListFilter_BadQuery_ShowsReadableMessage(string path, string message)
    {
        var team = await CreateTeamAsync(App, "Portal bad filter");
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, team.ApiKey);

        var response = await page.GotoAsync(path);

        Assert.Equal((int)HttpStatusCode.BadRequest, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(message);
    }
}
