using System.Net;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Portal;

/// <summary>
/// A scaled-out app: two instances on one storage account. A portal form rendered by one and posted to the other
/// (a load balancer does that) is accepted, because their anti-forgery keys come from one key ring in storage,
/// stored encrypted.
/// </summary>
public sealed partial class PortalKeyRingTests
{
    [Fact]
    public async Task SignInFormFromOneInstance_PostedToAnother_IsAccepted_AndTheSharedKeyIsStoredEncrypted()
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        await using var first = await TestApp.StartAsync(prefix: prefix);
        await using var second = await TestApp.StartAsync(prefix: prefix);
        using var cookies = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var browser = new HttpClient(cookies);

        using var form = await browser.GetAsync(new Uri(first.BaseAddress, "/portal/signin"));
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var token = CsrfField().Match(await form.Content.ReadAsStringAsync()).Groups["token"].Value;
        var cookie = Assert.Single(form.Headers.GetValues("Set-Cookie"), c => c.StartsWith("webhooks_portal_csrf=", StringComparison.Ordinal)).Split(';')[0];
        Assert.NotEmpty(token);

        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(second.BaseAddress, "/portal/signin"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["ApiKey"] = TestApp.DevApiKey, ["__csrf"] = token }),
        };
        post.Headers.Add("Cookie", cookie);
        using var signedIn = await browser.SendAsync(post);

        // Signed in and sent on to the events page; a token the second instance could not read would get 400 "form expired".
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.EndsWith("/portal/events", signedIn.Headers.Location?.OriginalString, StringComparison.Ordinal);

        var keys = new TableServiceClient(first.ConnectionString).GetTableClient(prefix + StorageNames.PortalKeysTable);
        var rows = new List<TableEntity>();
        await foreach (var row in keys.QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }
        var key = Assert.Single(rows);
        Assert.DoesNotContain("<key", key.GetString("Xml"), StringComparison.Ordinal);
        Assert.DoesNotContain("masterKey", key.GetString("Xml"), StringComparison.Ordinal);
    }

    [GeneratedRegex("name=\"__csrf\"[^>]*value=\"(?<token>[^\"]+)\"")]
    private static partial Regex CsrfField();
}
