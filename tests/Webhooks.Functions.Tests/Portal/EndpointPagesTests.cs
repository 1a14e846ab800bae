using System.Net;
using Azure.Data.Tables;
using Microsoft.Playwright;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Events.EventLogKit;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Portal;

/// <summary>
/// The portal's endpoint pages (SPEC §12: endpoints — create, edit, enable with recover, health) in a real Chromium:
/// what a person does there is what the API then shows.
/// </summary>
public sealed class EndpointPagesTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string ReceiverUrl = "https://receiver.example/orders";

    private TestApp App => fixture.App;

    [Fact]
    public async Task EndpointsPage_ListsTheTeamsEndpoints_WithTheirTypesLimitAndStatus()
    {
        var team = await CreateTeamAsync(App, "Portal endpoints list");
        using var client = App.Client(team.ApiKey);
        var every = await CreateEndpointAsync(client, $$"""{"url":"{{ReceiverUrl}}","description":"Orders"}""");
        var crawls = await CreateEndpointAsync(client, """{"url":"https://receiver.example/crawls","event_types":["event.crawl.completed","event.crawl.failed"],"rate_limit_per_s":20}""");
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, team.ApiKey);

        await PortalKit.GoToAsync(page, "Endpoints");

        var first = page.GetByRole(AriaRole.Row).Filter(new() { HasText = every });
        await Assertions.Expect(first).ToContainTextAsync(ReceiverUrl);
        await Assertions.Expect(first).ToContainTextAsync("Orders");
        await Assertions.Expect(first).ToContainTextAsync("every type");
        await Assertions.Expect(first).ToContainTextAsync("no limit");
        await Assertions.Expect(first).ToContainTextAsync("enabled");
        var second = page.GetByRole(AriaRole.Row).Filter(new() { HasText = crawls });
        await Assertions.Expect(second).ToContainTextAsync("event.crawl.completed, event.crawl.failed");
        await Assertions.Expect(second).ToContainTextAsync("20 per second");
        await PortalKit.AssertAccessibleAsync(page);
        await PortalKit.ScreenshotAsync(page, "endpoints");
    }

    [Theory]
    [InlineData("", "URL is required.")]
    [InlineData("not a url", "URL must be an absolute http or https URL.")]
    [InlineData("https://u:p@receiver.example/h", "URL must not contain a user name or password.")]
    public async Task EndpointsPage_BadUrl_ShowsReadableMessage_AndCreatesNothing(string url, string message)
    {
        var team = await CreateTeamAsync(App, "Portal endpoint bad input");
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, team.ApiKey);
        await PortalKit.GoToAsync(page, "Endpoints");

        await page.GetByLabel("URL").FillAsync(url);
        await page.GetByLabel("Rate limit").FillAsync("0");
        var answer = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Create endpoint" }).ClickAsync(), response => response.Request.Method == "POST");

        Assert.Equal((int)HttpStatusCode.BadRequest, answer.Status);
        var alert = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToContainTextAsync(message);
        await Assertions.Expect(alert).ToContainTextAsync("Rate limit must be a whole number from 1 to 10,000");
        await PortalKit.AssertAccessibleAsync(page);
        using var client = App.Client(team.ApiKey);
        Assert.Empty((await client.GetJsonAsync("/v1/endpoints")).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task EndpointsPage_TeamAtTheCap_SaysSo()
    {
        var team = await CreateTeamAsync(App, "Portal endpoint cap");
        using var client = App.Client(team.ApiKey);
        for (var i = 0; i < 50; i++)
        {
            await CreateEndpointAsync(client, $$"""{"url":"{{ReceiverUrl}}/{{i}}"}""");
        }
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, team.ApiKey);
        await PortalKit.GoToAsync(page, "Endpoints");

        await page.GetByLabel("URL").FillAsync(ReceiverUrl + "/50");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create endpoint" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("at most 50 endpoints");
        Assert.Equal(50, (await client.GetJsonAsync("/v1/endpoints?limit=100")).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task EndpointPage_AnotherTeamsEndpoint_IsNotFound()
    {
        var owner = await CreateTeamAsync(App, "Portal endpoint owner");
        var other = await CreateTeamAsync(App, "Portal endpoint other");
        using var client = App.Client(owner.ApiKey);
        var id = await CreateEndpointAsync(client, $$"""{"url":"{{ReceiverUrl}}"}""");
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, other.ApiKey);

        var response = await page.GotoAsync($"/portal/endpoints/{id}");

        Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"There is no endpoint {id} for your team.");
        var malformed = await page.GotoAsync("/portal/endpoints/ep_'%20or%20''='");
        Assert.Equal((int)HttpStatusCode.NotFound, malformed!.Status);
    }

    /// <summary>Creating an endpoint opens its page, which shows its health.</summary>
    [Fact]
    public async Task EndpointsPage_CreateWithEventTypesAndLimit_OpensTheEndpoint_AsTheApiHasIt()
    {
        var team = await CreateTeamAsync(App, "Portal endpoint create");
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, team.ApiKey);
        await PortalKit.GoToAsync(page, "Endpoints");

        await page.GetByLabel("URL").FillAsync(ReceiverUrl);
        await page.GetByLabel("Description").FillAsync("Orders");
        await page.GetByLabel("event.batch.completed").CheckAsync();
        await page.GetByLabel("event.crawl.failed").CheckAsync();
        await page.GetByLabel("Rate limit").FillAsync("25");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create endpoint" }).ClickAsync();

        await page.WaitForURLAsync("**/portal/endpoints/ep_*");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Endpoint created.");
        using var client = App.Client(team.ApiKey);
        var endpoint = Assert.Single((await client.GetJsonAsync("/v1/endpoints")).GetProperty("data").EnumerateArray());
        Assert.Contains("/portal/endpoints/" + endpoint.GetProperty("id").GetString(), page.Url, StringComparison.Ordinal);
        Assert.Equal(ReceiverUrl, endpoint.GetProperty("url").GetString());
        Assert.Equal("Orders", endpoint.GetProperty("description").GetString());
        Assert.Equal(["event.batch.completed", "event.crawl.failed"], endpoint.GetProperty("event_types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(25, endpoint.GetProperty("rate_limit_per_s").GetInt32());
        await Assertions.Expect(page.Locator("dl.health")).ToContainTextAsync("Attempts");
    }

    /// <summary>The page of a disabled endpoint: its health, then edit, enable with recover and delete, each as the API does it.</summary>
    [Fact]
    public async Task EndpointPage_DisabledEndpoint_ShowsHealth_EditEnableWithRecoverAndDelete_DoWhatTheApiDoes()
    {
        var team = await CreateTeamAsync(App, "Portal endpoint lifecycle");
        using var client = App.Client(team.ApiKey);
        var id = await CreateEndpointAsync(client, $$"""{"url":"{{ReceiverUrl}}","event_types":["event.batch.completed"]}""");
        // Disabled as the health check leaves an endpoint whose attempts all fail.
        await Table(App, "endpoints").UpdateEntityAsync(
            new TableEntity(team.Id, id) { ["Status"] = "disabled", ["DisabledReason"] = "Every attempt failed in the last 24 hours." },
            Azure.ETag.All, TableUpdateMode.Merge);
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, team.ApiKey);
        await PortalKit.GoToAsync(page, "Endpoints");

        await page.GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync();
        await page.WaitForURLAsync($"**/portal/endpoints/{id}");
        var facts = page.Locator("dl.facts").First;
        await Assertions.Expect(facts).ToContainTextAsync("disabled");
        await Assertions.Expect(facts).ToContainTextAsync("Every attempt failed in the last 24 hours.");
        var health = page.Locator("dl.health");
        await Assertions.Expect(health).ToContainTextAsync("Attempts");
        await Assertions.Expect(health).ToContainTextAsync("Failure ratio");
        await PortalKit.AssertAccessibleAsync(page);
        await PortalKit.ScreenshotAsync(page, "endpoint");

        await page.GetByLabel("Description").FillAsync("Orders, new region");
        await page.GetByLabel("event.crawl.completed").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save endpoint" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Endpoint saved.");
        var saved = await client.GetJsonAsync($"/v1/endpoints/{id}");
        Assert.Equal("Orders, new region", saved.GetProperty("description").GetString());
        Assert.Equal(["event.batch.completed", "event.crawl.completed"], saved.GetProperty("event_types").EnumerateArray().Select(t => t.GetString()));

        await page.GetByLabel("Also redeliver every parked delivery").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Enable endpoint" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Endpoint enabled; 0 parked deliveries were started again.");
        Assert.Equal("enabled", (await client.GetJsonAsync($"/v1/endpoints/{id}")).GetProperty("status").GetString());
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Enable endpoint" })).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete endpoint" }).ClickAsync();
        await page.WaitForURLAsync("**/portal/endpoints?deleted=*");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Endpoint {id} was deleted.");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/endpoints/{id}")).StatusCode);
    }

    [Fact]
    public async Task TeamPage_OperationsWebhookUrl_IsSavedAndCleared()
    {
        var team = await CreateTeamAsync(App, "Portal operations URL");
        using var client = App.Client(team.ApiKey);
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, team.ApiKey);
        await PortalKit.GoToAsync(page, "Team");

        await page.GetByLabel("Operations webhook URL").FillAsync("https://receiver.example/operations");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Settings saved.");
        Assert.Equal("https://receiver.example/operations", (await client.GetJsonAsync("/v1/team")).GetProperty("operations_webhook_url").GetString());
        Assert.Equal("https://receiver.example/operations", await page.GetByLabel("Operations webhook URL").InputValueAsync());

        await page.GetByLabel("Operations webhook URL").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Settings saved.");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await client.GetJsonAsync("/v1/team")).GetProperty("operations_webhook_url").ValueKind);

        await page.GetByLabel("Operations webhook URL").FillAsync("ftp://receiver.example/operations");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Operations webhook URL must be an absolute http or https URL.");
    }

    [Fact]
    public async Task DeliveriesPage_FilteredByEndpoint_ListsOnlyThatEndpointsDeliveries()
    {
        var team = await CreateTeamAsync(App, "Portal deliveries by endpoint");
        using var client = App.Client(team.ApiKey);
        var orders = await CreateEndpointAsync(client, $$"""{"url":"{{ReceiverUrl}}","description":"Orders"}""");
        await CreateEndpointAsync(client, """{"url":"https://receiver.example/archive","description":"Archive"}""");
        var raised = await Delivery.DeliveryTestKit.RaiseAsync(App, team.Id, webhook: null);
        var ordersDelivery = raised.Deliveries.Single(d => d.EndpointId == orders).DeliveryId;
        var archiveDelivery = raised.Deliveries.Single(d => d.EndpointId != orders).DeliveryId;
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, team.ApiKey);
        await PortalKit.GoToAsync(page, "Deliveries");

        await page.GetByLabel("Endpoint").SelectOptionAsync(new SelectOptionValue { Label = "Orders" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = ordersDelivery })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = archiveDelivery })).ToHaveCountAsync(0);
        Assert.Contains("endpoint=" + orders, page.Url, StringComparison.Ordinal);
        var bad = await page.GotoAsync("/portal/deliveries?endpoint=ep_0000000000000000");
        Assert.Equal((int)HttpStatusCode.BadRequest, bad!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("endpoint must be one of");
    }

    private static async Task<string> CreateEndpointAsync(HttpClient client, string body) =>
        (await (await client.PostAsync("/v1/endpoints", Json(body))).AssertJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
}
