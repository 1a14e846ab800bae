using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Events;
using Webhooks.Functions.Tests.Delivery;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Stats;

/// <summary>Receivers for a known mix of attempt outcomes, and the sums of a <c>GET /v1/stats</c> answer.</summary>
internal static partial class StatsKit
{
    /// <summary>One attempt per delivery (so each outcome is one attempt), attempts written as they are counted.</summary>
    public static Dictionary<string, string?> OneAttemptEach() => new()
    {
        ["Delivery:Policies:standard"] = "0s",
        ["Delivery:AttemptTimeout"] = "00:00:03",
        ["Endpoints:HealthFlushInterval"] = "00:00:00",
    };

    /// <summary>Answers 204, 500, or nothing within the attempt timeout, by the last segment of the path.</summary>
    public static Task<LocalServer> MixedReceiverAsync() => LocalServer.StartAsync(async context =>
    {
        var path = context.Request.Path.Value ?? "";
        if (path.EndsWith("/slow", StringComparison.Ordinal))
        {
            await Task.Delay(TimeSpan.FromSeconds(15), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        context.Response.StatusCode = path.EndsWith("/fail", StringComparison.Ordinal) ? 500 : 204;
    });

    /// <summary>A URL on 127.0.0.1 where nothing listens: the connection is refused.</summary>
    public static string RefusedUrl() => $"http://127.0.0.1:{FreePort.Next()}/hooks";

    public static async Task<JsonElement> StatsAsync(HttpClient client, string query = "") =>
        await (await client.GetAsync("/v1/stats" + query)).AssertJsonAsync(HttpStatusCode.OK);

    /// <summary>The answer's figures summed over its buckets: attempts, delivered, then each failure class.</summary>
    public static Figures Sum(JsonElement stats)
    {
        long Total(Func<JsonElement, long> of) => stats.GetProperty("data").EnumerateArray().Sum(of);
        return new Figures(
            Total(e => e.GetProperty("attempts").GetInt64()),
            Total(e => e.GetProperty("delivered").GetInt64()),
            Total(e => e.GetProperty("failed").GetProperty("3xx").GetInt64()),
            Total(e => e.GetProperty("failed").GetProperty("4xx").GetInt64()),
            Total(e => e.GetProperty("failed").GetProperty("5xx").GetInt64()),
            Total(e => e.GetProperty("failed").GetProperty("timeout").GetInt64()),
            Total(e => e.GetProperty("failed").GetProperty("connection").GetInt64()));
    }

    /// <summary>
    /// The figures a screen reader hears: a portal page's chart table (<paramref name="path"/>, the Dashboard by
    /// default) summed over its rows, read over plain HTTP after signing in with <paramref name="apiKey"/>, as a
    /// browser would without running anything (the portal has no script).
    /// </summary>
    public static async Task<Figures> PortalTableSumsAsync(Uri baseAddress, string apiKey, string path = "/portal/dashboard")
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { BaseAddress = baseAddress };
        var form = await browser.GetStringAsync("/portal/signin");
        using var signIn = await browser.PostAsync("/portal/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ApiKey"] = apiKey,
            ["__csrf"] = CsrfField().Match(form).Groups["token"].Value,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var page = await browser.GetStringAsync(path);
        var body = Assert.Single(TableBody().Matches(page)).Groups["rows"].Value;
        var sums = new long[7];
        foreach (Match row in TableRow().Matches(body))
        {
            var cells = TableCell().Matches(row.Groups["cells"].Value);
            for (var i = 0; i < sums.Length; i++)
            {
                sums[i] += long.Parse(cells[i].Groups["value"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            }
        }
        return new Figures(sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6]);
    }

    [GeneratedRegex("name=\"__csrf\"[^>]*value=\"(?<token>[^\"]+)\"")]
    private static partial Regex CsrfField();

    [GeneratedRegex("<tbody>(?<rows>.*?)</tbody>", RegexOptions.Singleline)]
    private static partial Regex TableBody();

    [GeneratedRegex("<tr>(?<cells>.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex TableRow();

    [GeneratedRegex("<td>(?<value>[^<]*)</td>")]
    private static partial Regex TableCell();

    public static async Task WaitForEndAsync(TestApp app, RaisedEvent raised)
    {
        foreach (var delivery in raised.Deliveries)
        {
            await Eventually.WaitAsync(() => DeliveryTestKit.ReadDeliveryAsync(app, delivery),
                d => d.Status is DeliveryStatus.Delivered or DeliveryStatus.Failed, TimeSpan.FromSeconds(30), $"delivery {delivery.DeliveryId} to end");
        }
    }
}

internal sealed record Figures(long Attempts, long Delivered, long Redirect, long ClientError, long ServerError, long Timeout, long Connection);
