using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Webhooks.Functions.Events;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Events;

/// <summary>A team of the app under test, as its owner knows it.</summary>
public sealed record TestTeam(string Id, string ApiKey, string SigningSecret);

/// <summary>What the tests of the delivery log share: teams, events raised the way the jobs engine raises them, polling, signatures.</summary>
public static class EventLogKit
{
    /// <summary>
    /// Short retries so that a delivery to a dead receiver ends <c>failed</c> within a second; the index repair at every
    /// sweep and for rows of any age, since the repair tests lose the listing rows of an event a moment old.
    /// </summary>
    public static Dictionary<string, string?> FastDelivery() => new()
    {
        ["Delivery:Policies:standard"] = "0s,100ms,200ms",
        ["Delivery:AttemptTimeout"] = "00:00:02",
        ["EventIndex:RepairInterval"] = "00:00:00",
        ["EventIndex:RepairMinAge"] = "00:00:00",
    };

    public static async Task<TestTeam> CreateTeamAsync(TestApp app, string name = "customer")
    {
        using var admin = app.Client(TestApp.AdminKey);
        var created = await (await admin.PostAsync("/v1/admin/teams", Json($$"""{"name":"{{name}}"}"""))).AssertJsonAsync(HttpStatusCode.Created);
        return new TestTeam(created.GetProperty("id").GetString()!, created.GetProperty("api_key").GetString()!,
            created.GetProperty("signing_secret").GetString()!);
    }

    /// <summary>
    /// Completes a job's event exactly as the jobs engine does: prepare, commit the rows in one transaction, publish.
    /// Returns the event id.
    /// </summary>
    public static async Task<string> RaiseAsync(TestApp app, string teamId, string? webhook, string jobPrefix = "batch", string? eventType = null)
    {
        var raiser = app.Services.GetRequiredService<EventRaiser>();
        var storage = app.Services.GetRequiredService<StorageAccount>();
        var jobId = Ids.New(jobPrefix);
        var type = eventType ?? (jobPrefix == "crawl" ? EventTypes.CrawlCompleted : EventTypes.BatchCompleted);
        var data = jobPrefix == "crawl" ? EventSamples.CrawlCompletedData(jobId, webhook) : EventSamples.BatchCompletedData(jobId, webhook);
        var raised = await raiser.PrepareAsync(teamId, jobId, type, data, webhook, CancellationToken.None);
        await storage.Jobs.SubmitTransactionAsync(raised.TransactionActions);
        await raiser.PublishAsync(raised, CancellationToken.None);
        return raised.Event.EventId;
    }

    /// <summary>Polls until <paramref name="done"/> holds, for at most 20 s.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(20);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }
            await Task.Delay(100);
        }
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path) =>
        await (await client.GetAsync(path)).AssertJsonAsync(HttpStatusCode.OK);

    /// <summary>Every item of a list route, following next_cursor; also returns how many pages it took.</summary>
    public static async Task<(List<JsonElement> Items, int Pages)> ReadAllPagesAsync(this HttpClient client, string path)
    {
        var items = new List<JsonElement>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            var page = await client.GetJsonAsync(cursor is null ? path : $"{path}{separator}cursor={Uri.EscapeDataString(cursor)}");
            pages++;
            items.AddRange(page.GetProperty("data").EnumerateArray());
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null && pages < 100);
        return (items, pages);
    }

    /// <summary>Waits until the team's delivery list holds <paramref name="count"/> deliveries with <paramref name="status"/>.</summary>
    public static Task<List<JsonElement>> WaitForDeliveriesAsync(HttpClient client, string status, int count) =>
        EventuallyAsync(
            async () => (await client.ReadAllPagesAsync($"/v1/deliveries?status={status}&limit=100")).Items,
            items => items.Count >= count,
            $"{count} {status} deliveries");

    /// <summary>Standard Webhooks check as a receiver holding only <paramref name="secret"/> does it (SPEC §4).</summary>
    public static bool VerifiesStandard(ReceivedRequest request, string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{request.Header("webhook-id")}.{request.Header("webhook-timestamp")}.").Concat(request.Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        return request.Header("webhook-signature").Split(' ').Contains(expected, StringComparer.Ordinal);
    }

    /// <summary>The crawl document's scheme: hex HMAC keyed with the whole secret string over <c>{timestamp}.{body}</c>.</summary>
    public static string HexSignature(ReceivedRequest request, string secret)
    {
        var signed = Encoding.UTF8.GetBytes($"{request.Header("X-Webhook-Timestamp")}.").Concat(request.Body).ToArray();
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    public static TableClient Table(TestApp app, string name) => new TableServiceClient(app.ConnectionString).GetTableClient(app.Prefix + name);
}
