using System.Net;
using Microsoft.Playwright;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Events.EventLogKit;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Portal;

/// <summary>
/// The endpoint page's headers and authentication form (SPEC §13 through §12's portal) in a real Chromium: what a
/// person sets there is what the API shows, the secrets are never sent back to the browser, and what the API refuses
/// the page refuses with a readable message.
/// </summary>
public sealed class EndpointAuthPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string ReceiverUrl = "https://receiver.example/orders";
    private const string ClientSecret = "portal-client-secret-5c1f";

    private TestApp App => fixture.App;

    [Fact]
    public async Task EndpointPage_SetsHeadersOAuth2AndCertificate_AsTheApiShowsThem_WithoutShowingTheSecrets()
    {
        var team = await CreateTeamAsync(App, "Portal endpoint auth");
        using var client = App.Client(team.ApiKey);
        var id = await CreateEndpointAsync(client, $$"""{"url":"{{ReceiverUrl}}"}""");
        using var certificates = TestCertificates.Create();
        using var certificate = certificates.IssueClient("CN=portal-sender");
        var pem = TestCertificates.Pem(certificate);
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, team.ApiKey);
        await page.GotoAsync($"/portal/endpoints/{id}");

        await page.GetByLabel("Custom headers").FillAsync("X-Api-Key: k_live_portal\nX-Tenant: acme");
        await page.GetByLabel("Token URL").FillAsync("https://login.example/oauth2/token");
        await page.GetByLabel("Client ID").FillAsync("webhooks-sender");
        await page.GetByLabel("Client secret").FillAsync(ClientSecret);
        await page.GetByLabel("Scope").FillAsync("webhooks.write");
        await page.GetByLabel("Certificate and private key").FillAsync(pem);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save headers and authentication" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Headers and authentication saved.");
        var saved = await client.GetJsonAsync($"/v1/endpoints/{id}");
        Assert.Equal("k_live_portal", saved.GetProperty("headers").GetProperty("X-Api-Key").GetString());
        Assert.Equal("acme", saved.GetProperty("headers").GetProperty("X-Tenant").GetString());
        var oauth2 = saved.GetProperty("oauth2");
        Assert.Equal("https://login.example/oauth2/token", oauth2.GetProperty("token_url").GetString());
        Assert.Equal("webhooks-sender", oauth2.GetProperty("client_id").GetString());
        Assert.Equal("webhooks.write", oauth2.GetProperty("scope").GetString());
        Assert.True(oauth2.GetProperty("client_secret_set").GetBoolean());
        Assert.Equal(certificate.Thumbprint, saved.GetProperty("client_certificate").GetProperty("thumbprint").GetString());
        var html = await page.ContentAsync();
        Assert.DoesNotContain(ClientSecret, html, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", html, StringComparison.Ordinal);
        var facts = page.Locator("dl.facts").First;
        await Assertions.Expect(facts).ToContainTextAsync("X-Api-Key, X-Tenant");
        await Assertions.Expect(facts).ToContainTextAsync("client webhooks-sender at https://login.example/oauth2/token, secret set");
        await Assertions.Expect(facts).ToContainTextAsync(certificate.Thumbprint);
        await PortalKit.AssertAccessibleAsync(page);
        await PortalKit.ScreenshotAsync(page, "endpoint-auth");

        // Saved again with the secrets left empty: both are kept.
        await page.GetByLabel("Scope").FillAsync("webhooks.read");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save headers and authentication" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Headers and authentication saved.");
        var kept = await client.GetJsonAsync($"/v1/endpoints/{id}");
        Assert.Equal("webhooks.read", kept.GetProperty("oauth2").GetProperty("scope").GetString());
        Assert.True(kept.GetProperty("oauth2").GetProperty("client_secret_set").GetBoolean());
        Assert.Equal(certificate.Thumbprint, kept.GetProperty("client_certificate").GetProperty("thumbprint").GetString());

        // Emptied and the certificate removed: none of the three is left.
        await page.GetByLabel("Custom headers").FillAsync("");
        await page.GetByLabel("Token URL").FillAsync("");
        await page.GetByLabel("Client ID").FillAsync("");
        await page.GetByLabel("Scope").FillAsync("");
        await page.GetByLabel("Remove the client certificate").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save headers and authentication" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Headers and authentication saved.");
        var cleared = await client.GetJsonAsync($"/v1/endpoints/{id}");
        Assert.Empty(cleared.GetProperty("headers").EnumerateObject());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.GetProperty("oauth2").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.GetProperty("client_certificate").ValueKind);
    }

    [Theory]
    [InlineData("Content-Type: text/plain", "", "", "Custom header Content-Type is set by the sender itself")]
    [InlineData("Authorization: Basic abc", "https://login.example/token", "sender", "Custom header Authorization is set by the sender itself while oauth2 is set")]
    [InlineData("no colon here", "", "", "Custom headers line 1 must be a header as Name: value.")]
    [InlineData("", "ftp://login.example/token", "sender", "Token URL must be an absolute http or https URL.")]
    [InlineData("", "https://login.example/token", "", "Client ID must not be empty.")]
    public async Task EndpointPage_AuthTheApiRefuses_IsA400WithAReadableMessage_AndChangesNothing(string headers, string tokenUrl, string clientId, string message)
    {
        var team = await CreateTeamAsync(App, "Portal endpoint auth bad input");
        using var client = App.Client(team.ApiKey);
        var id = await CreateEndpointAsync(client, $$$"""{"url":"{{{ReceiverUrl}}}","headers":{"X-Api-Key":"before"}}""");
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, team.ApiKey);
        await page.GotoAsync($"/portal/endpoints/{id}");

        await page.GetByLabel("Custom headers").FillAsync(headers);
        await page.GetByLabel("Token URL").FillAsync(tokenUrl);
        await page.GetByLabel("Client ID").FillAsync(clientId);
        await page.GetByLabel("Client secret").FillAsync(ClientSecret);
        var answer = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Save headers and authentication" }).ClickAsync(),
            response => response.Request.Method == "POST");

        Assert.Equal((int)HttpStatusCode.BadRequest, answer.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(message);
        Assert.DoesNotContain(ClientSecret, await page.ContentAsync(), StringComparison.Ordinal);
        await PortalKit.AssertAccessibleAsync(page);
        var unchanged = await client.GetJsonAsync($"/v1/endpoints/{id}");
        Assert.Equal("before", unchanged.GetProperty("headers").GetProperty("X-Api-Key").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, unchanged.GetProperty("oauth2").ValueKind);
    }

    [Fact]
    public async Task EndpointPage_ExpiredCertificate_IsRefused()
    {
        var team = await CreateTeamAsync(App, "Portal endpoint expired certificate");
        using var client = App.Client(team.ApiKey);
        var id = await CreateEndpointAsync(client, $$"""{"url":"{{ReceiverUrl}}"}""");
        using var certificates = TestCertificates.Create();
        var now = TimeProvider.System.GetUtcNow();
        using var expired = certificates.IssueClient("CN=old", now.AddDays(-10), now.AddDays(-1));
        var page = await fixture.NewPageAsync();
        await PortalKit.SignInAsync(page, team.ApiKey);
        await page.GotoAsync($"/portal/endpoints/{id}");

        await page.GetByLabel("Certificate and private key").FillAsync(TestCertificates.Pem(expired));
        await page.GetByRole(AriaRole.Button, new() { Name = "Save headers and authentication" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Client certificate has expired");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await client.GetJsonAsync($"/v1/endpoints/{id}")).GetProperty("client_certificate").ValueKind);
    }

    private static async Task<string> CreateEndpointAsync(HttpClient client, string body) =>
        (await (await client.PostAsync("/v1/endpoints", Json(body))).AssertJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
}
