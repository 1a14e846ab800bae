using System.Net;
using Microsoft.Playwright;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Events.EventLogKit;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Portal;

/// <summary>
/// SPEC §13 in the portal, in a real Chromium: on an endpoint's page a person reveals and rotates the endpoint's own
/// secret, turns Ed25519 signatures on and reads its public key; the API then answers the same.
/// </summary>
public sealed class EndpointSigningPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task EndpointPage_RevealRotateAndTurnOnEd25519_AsTheApiThenHasIt()
    {
        var team = await CreateTeamAsync(App, "Portal endpoint signing");
        using var client = App.Client(team.ApiKey);
        var id = (await (await client.PostAsync("/v1/endpoints", Json("""{"url":"https://receiver.example/signed"}""")))
            .AssertJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var secret = (await client.GetJsonAsync($"/v1/endpoints/{id}/signing-secret")).GetProperty("signing_secret").GetString()!;
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, team.ApiKey);
        await page.GotoAsync($"/portal/endpoints/{id}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Signing" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Public key")).ToHaveCountAsync(0);
        await PortalKit.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Reveal endpoint secret" }).ClickAsync();
        var revealed = await page.GetByLabel("Endpoint signing secret").InputValueAsync();
        Assert.Equal(secret, revealed);
        Assert.NotEqual(team.SigningSecret, revealed);
        Assert.DoesNotContain("whsec_", page.Url, StringComparison.Ordinal);
        await PortalKit.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on Ed25519 signatures" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Ed25519 signatures are on");
        var shown = await page.GetByLabel("Public key", new() { Exact = true }).InputValueAsync();
        var keys = (await client.GetJsonAsync($"/v1/endpoints/{id}/public-keys")).GetProperty("data");
        Assert.Equal(shown, Assert.Single(keys.EnumerateArray()).GetProperty("public_key").GetString());
        Assert.True((await client.GetJsonAsync($"/v1/endpoints/{id}")).GetProperty("asymmetric_signing").GetBoolean());
        await PortalKit.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate endpoint secret" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("rotated");
        var rotated = await page.GetByLabel("Endpoint signing secret").InputValueAsync();
        Assert.NotEqual(secret, rotated);
        Assert.Equal(rotated, (await client.GetJsonAsync($"/v1/endpoints/{id}/signing-secret")).GetProperty("signing_secret").GetString());
        Assert.Equal(shown, await page.GetByLabel("Previous public key").InputValueAsync());
        Assert.Equal(2, (await client.GetJsonAsync($"/v1/endpoints/{id}/public-keys")).GetProperty("data").GetArrayLength());
        Assert.Equal(team.SigningSecret, (await client.GetJsonAsync("/v1/team/signing-secret")).GetProperty("signing_secret").GetString());
        await PortalKit.AssertAccessibleAsync(page);
        await PortalKit.ScreenshotAsync(page, "endpoint-signing");

        await page.GetByRole(AriaRole.Button, new() { Name = "Turn off Ed25519 signatures" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Ed25519 signatures are off");
        Assert.False((await client.GetJsonAsync($"/v1/endpoints/{id}")).GetProperty("asymmetric_signing").GetBoolean());
    }

    [Fact]
    public async Task EndpointSigningPage_AnotherTeamsEndpoint_IsNotFound_AndRevealsNothing()
    {
        var owner = await CreateTeamAsync(App, "Portal signing owner");
        var other = await CreateTeamAsync(App, "Portal signing other");
        using var client = App.Client(owner.ApiKey);
        var id = (await (await client.PostAsync("/v1/endpoints", Json("""{"url":"https://receiver.example/signed"}""")))
            .AssertJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, other.ApiKey);

        var response = await page.GotoAsync($"/portal/endpoints/{id}/signing");

        Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"There is no endpoint {id} for your team.");
        Assert.DoesNotContain("whsec_", await page.ContentAsync(), StringComparison.Ordinal);
    }
}
