using System.Diagnostics;
using System.Net;
using Azure.Data.Tables;
using Webhooks.Functions.Tests.Events;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Events.EventLogKit;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;
using static Webhooks.Functions.Tests.Retention.RetentionKit;

namespace Webhooks.Functions.Tests.Retention;

/// <summary>
/// SPEC §10 <c>DELETE /v1/admin/teams/{id}</c>: the keys stop working before the 202, and the sweeper then erases every row,
/// body, secret and orchestration of the team — a running one included — while another team keeps everything.
/// </summary>
public sealed class TeamErasureTests
{
    private static readonly string[] Tables = ["teams", "apikeys", "jobs", "idempotency", "eventindex", "endpoints", "stats"];

    [Fact]
    public async Task DeleteTeam_KeysRefusedAtOnce_ThenEverythingOfTheTeamIsErased_AndAnotherTeamKeepsItsData()
    {
        // Attempts are counted in the delivery stats as they are recorded, so every stats row is written before the erasure.
        var settings = Settings();
        settings["Endpoints:HealthFlushInterval"] = "00:00:00";
        await using var app = await TestApp.StartAsync(settings);
        await using var ok = await RecordingReceiver.StartAsync();
        await using var failing = await RecordingReceiver.StartAsync();
        failing.Status = 500;
        var (site, _) = await Jobs.JobsTestKit.SiteAsync(async context =>
        {
            await Jobs.JobsTestKit.HtmlAsync(context, "page");
            return true;
        });
        await using var _ = site;
        var gone = await CreateTeamAsync(app, "leaving");
        var stays = await CreateTeamAsync(app, "staying");
        using var goneClient = app.Client(gone.ApiKey);
        using var staysClient = app.Client(stays.ApiKey);

        var goneDelivered = await CompletedBatchAsync(goneClient, site.Url("/page"), ok.Url, idempotencyKey: "same-key");
        await (await goneClient.PostAsync("/v1/webhooks/test", Json($$"""{"url":"{{ok.Url}}"}"""))).AssertJsonAsync(HttpStatusCode.OK);
        await (await goneClient.PatchAsync("/v1/team", Json("""{"retry_policy":"slow"}"""))).AssertJsonAsync(HttpStatusCode.OK);
        var gonePending = await CompletedBatchAsync(goneClient, site.Url("/page"), failing.Url);
        var staysDelivered = await CompletedBatchAsync(staysClient, site.Url("/page"), ok.Url, idempotencyKey: "same-key");
        var goneDeliveries = (await DeliveriesWhenAsync(goneClient, goneDelivered, "delivered")).Concat(await DeliveriesWhenAsync(goneClient, gonePending, "pending")).ToList();
        var staysDelivery = Assert.Single(await DeliveriesWhenAsync(staysClient, staysDelivered, "delivered"));
        await Eventually.WaitAsync(() => OrchestrationAsync(app, goneDeliveries[^1]), s => s == "Running", what: "the pending delivery's orchestration to run");
        await Eventually.WaitAsync(() => OrchestrationAsync(app, staysDelivery), s => s == "Completed", what: "the other team's orchestration to complete");
        // Endpoint rows as SPEC §8 stores them: the team's endpoint, and a row of that endpoint's own.
        var endpoints = Table(app, "endpoints");
        await endpoints.UpsertEntityAsync(new TableEntity(gone.Id, "ep_0123456789abcdef"));
        await endpoints.UpsertEntityAsync(new TableEntity("ep_0123456789abcdef", "health"));
        await endpoints.UpsertEntityAsync(new TableEntity(stays.Id, "ep_fedcba9876543210"));
        Assert.Contains(await RowsAsync(app, "stats"), r => r.PartitionKey == gone.Id);
        Assert.Contains(await RowsAsync(app, "stats"), r => r.PartitionKey == stays.Id);
        var gonePartitions = (await RowsAsync(app, "jobs")).Where(r => r.GetString("TeamId") == gone.Id).Select(r => r.PartitionKey).ToHashSet();
        Assert.Equal(3, gonePartitions.Count);

        using var admin = app.Client(TestApp.AdminKey);
        using (var deleted = await admin.DeleteAsync($"/v1/admin/teams/{gone.Id}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }
        var refused = await goneClient.GetAsync("/v1/team");
        await refused.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await goneClient.GetAsync($"/v1/batches/{goneDelivered}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await staysClient.GetAsync("/v1/team")).AssertJsonAsync(HttpStatusCode.OK);

        var erasing = Stopwatch.StartNew();
        await Eventually.WaitAsync(async () =>
        {
            await SweepAsync(app);
            return await Table(app, "teams").GetEntityIfExistsAsync<TableEntity>(gone.Id, "erasure");
        }, tombstone => !tombstone.HasValue, TimeSpan.FromSeconds(60), "the erasure to finish");

        foreach (var table in Tables)
        {
            Assert.All(await RowsAsync(app, table), row =>
            {
                Assert.NotEqual(gone.Id, row.PartitionKey);
                Assert.NotEqual(gone.Id, row.GetString("TeamId"));
                Assert.DoesNotContain(row.PartitionKey, gonePartitions);
                Assert.NotEqual("ep_0123456789abcdef", row.PartitionKey);
            });
        }
        Assert.All(await ListingTargetsAsync(app), e => Assert.Equal(stays.Id, e.Team));
        Assert.All(await BlobNamesAsync(app), b => Assert.StartsWith(staysDelivered + "/", b, StringComparison.Ordinal));
        foreach (var id in goneDeliveries)
        {
            Assert.Null(await OrchestrationAsync(app, id));
        }

        Assert.Equal("Completed", await OrchestrationAsync(app, staysDelivery));
        Assert.Single(await BlobNamesAsync(app));
        Assert.Single(await RowsAsync(app, "idempotency"), r => r.PartitionKey == stays.Id);
        Assert.Single(await RowsAsync(app, "endpoints"), r => r.PartitionKey == stays.Id);
        Assert.Contains(await RowsAsync(app, "stats"), r => r.PartitionKey == stays.Id);
        await (await staysClient.GetAsync($"/v1/batches/{staysDelivered}")).AssertJsonAsync(HttpStatusCode.OK);
        var events = (await staysClient.ReadAllPagesAsync("/v1/events")).Items;
        Assert.Equal("delivered", Assert.Single(Assert.Single(events).GetProperty("deliveries").EnumerateArray()).GetProperty("status").GetString());
        await (await admin.DeleteAsync($"/v1/admin/teams/{gone.Id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
