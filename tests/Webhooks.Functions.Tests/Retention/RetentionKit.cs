using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Hosting;
using Webhooks.Functions.Hosting.Durable;
using Webhooks.Functions.Retention;
using Webhooks.Functions.Tests.Events;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Retention;

/// <summary>What the retention and team-erasure tests share: real jobs with bodies and deliveries, and raw storage reads.</summary>
public static class RetentionKit
{
    /// <summary>
    /// Fast retries for the default policy, and a <c>slow</c> policy whose second attempt is ten minutes away: a delivery
    /// to a failing receiver under it stays pending for the whole test. The sweeper runs only when a test runs it;
    /// retention is the default <c>Retention:Days</c>.
    /// </summary>
    public static Dictionary<string, string?> Settings()
    {
        var settings = EventLogKit.FastDelivery();
        settings["Delivery:Policies:slow"] = "0s,10m";
        settings["Sweeper:Enabled"] = "false";
        return settings;
    }

    /// <summary>Creates a one-item batch of <paramref name="pageUrl"/> (so its body goes to Blob Storage) and waits for its end.</summary>
    public static async Task<string> CompletedBatchAsync(HttpClient client, string pageUrl, string webhook, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/batches")
        {
            Content = Json(JsonSerializer.Serialize(new { items = new[] { new { url = pageUrl } }, webhook })),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        var created = await (await client.SendAsync(request)).AssertJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        await Jobs.JobsTestKit.WaitForEndAsync(client, $"/v1/batches/{id}");
        return id;
    }

    /// <summary>The deliveries of the job's event once each has reached <paramref name="status"/>; returns their ids.</summary>
    public static async Task<List<string>> DeliveriesWhenAsync(HttpClient client, string jobId, string status)
    {
        var eventId = "event_" + jobId[(jobId.IndexOf('_', StringComparison.Ordinal) + 1)..];
        var evt = await Eventually.WaitAsync(async () => await client.GetAsync($"/v1/events/{eventId}") is { StatusCode: HttpStatusCode.OK } r
                ? JsonSerializer.Deserialize<JsonElement>(await r.Content.ReadAsStringAsync())
                : default,
            e => e.ValueKind == JsonValueKind.Object && e.GetProperty("deliveries").EnumerateArray().Any()
                && e.GetProperty("deliveries").EnumerateArray().All(d => d.GetProperty("status").GetString() == status),
            TimeSpan.FromSeconds(30), $"{jobId}'s deliveries to be {status}");
        return [.. evt.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("id").GetString()!)];
    }

    public static async Task<List<TableEntity>> RowsAsync(TestApp app, string table)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in EventLogKit.Table(app, table).QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }
        return rows;
    }

    public static async Task<List<string>> BlobNamesAsync(TestApp app)
    {
        var names = new List<string>();
        await foreach (var blob in new BlobServiceClient(app.ConnectionString).GetBlobContainerClient(app.Prefix + "pages").GetBlobsAsync(
            Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, CancellationToken.None))
        {
            names.Add(blob.Name);
        }
        return names;
    }

    /// <summary>The Durable runtime status of the delivery's orchestration, null once it has none.</summary>
    public static Task<string?> OrchestrationAsync(TestApp app, string deliveryId) =>
        app.Services.GetRequiredService<StandaloneDurableEngine>().GetRuntimeStatusAsync(deliveryId);

    /// <summary>
    /// The app's retention sweep, made of its own services but reading <paramref name="clock"/>: a test moves that clock
    /// past the retention age instead of waiting it out. Everything else in the app keeps the real clock.
    /// </summary>
    internal static RetentionSweep RetentionSweepAt(TestApp app, TimeProvider clock) =>
        ActivatorUtilities.CreateInstance<RetentionSweep>(app.Services, clock);

    /// <summary>The retention age the app was configured with.</summary>
    public static TimeSpan RetentionAge(TestApp app) => app.Services.GetRequiredService<IOptions<RetentionOptions>>().Value.MaxAge;

    public static Task SweepAsync(TestApp app) => app.Services.GetRequiredService<Sweeper>().RunAsync(CancellationToken.None);

    /// <summary>The partitions every listing entry of the eventindex table points at.</summary>
    public static async Task<List<(string Team, string Target)>> ListingTargetsAsync(TestApp app) =>
        [.. (await RowsAsync(app, "eventindex")).SelectMany(row =>
            JsonSerializer.Deserialize<JsonElement>(row.GetString("Entries")).EnumerateArray().Select(e => (row.PartitionKey, e.GetProperty("p").GetString()!)))];
}
