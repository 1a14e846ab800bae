using System.Net;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Functions.Tests.Events;
using Webhooks.Functions.Tests.Infrastructure;
using Xunit.Abstractions;
using static Webhooks.Functions.Tests.Events.EventLogKit;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;
using static Webhooks.Functions.Tests.Retention.RetentionKit;

namespace Webhooks.Functions.Tests.Retention;

/// <summary>
/// SPEC §10 retention on a real app, swept by its retention sweep with a clock moved past <c>Retention:Days</c>: what is
/// older goes with every row, body, listing entry, idempotency record and orchestration history of it; a pending
/// delivery's partition and a young job stay.
/// </summary>
public sealed class RetentionSweepTests(ITestOutputHelper output)
{
    /// <summary>
    /// Storage operations of a retention pass that erases one delivered one-item batch, as measured: the candidate scan;
    /// the partition read; the orchestration's status read and the engine's purge (Instances read, History read, History
    /// transaction, Instances delete, large-message blob listing); two listing reads and the listing transaction; the blob
    /// listing and the body's delete; two row transactions (the rest, then job and event); the idempotency scan; the
    /// delivery stats rows' scan.
    /// </summary>
    private const int OnePartitionBudget = 17;

    [Fact]
    public async Task Sweep_OldFinishedJobs_AreErasedWithEverything_PendingDeliveryAndYoungJobStay()
    {
        await using var app = await TestApp.StartAsync(Settings());
        await using var ok = await RecordingReceiver.StartAsync();
        await using var failing = await RecordingReceiver.StartAsync();
        failing.Status = 500;
        var (site, _) = await Jobs.JobsTestKit.SiteAsync(async context =>
        {
            await Jobs.JobsTestKit.HtmlAsync(context, "page");
            return true;
        });
        await using var _ = site;
        var team = await CreateTeamAsync(app);
        var keeper = await CreateTeamAsync(app, "keeper");
        using var client = app.Client(team.ApiKey);
        using var keeperClient = app.Client(keeper.ApiKey);
        await (await keeperClient.PatchAsync("/v1/team", Json("""{"retry_policy":"slow"}"""))).AssertJsonAsync(HttpStatusCode.OK);

        // Old: a delivered batch (with an idempotency record), a failed one, a test ping, and another team's batch whose
        // delivery waits ten minutes for its second attempt.
        var delivered = await CompletedBatchAsync(client, site.Url("/page"), ok.Url, idempotencyKey: "old-batch");
        var failed = await CompletedBatchAsync(client, site.Url("/page"), failing.Url);
        var ping = await (await client.PostAsync("/v1/webhooks/test", Json($$"""{"url":"{{ok.Url}}"}"""))).AssertJsonAsync(HttpStatusCode.OK);
        var pending = await CompletedBatchAsync(keeperClient, site.Url("/page"), failing.Url);
        var oldDeliveries = (await DeliveriesWhenAsync(client, delivered, "delivered")).Concat(await DeliveriesWhenAsync(client, failed, "failed")).ToList();
        var pendingDelivery = Assert.Single(await DeliveriesWhenAsync(keeperClient, pending, "pending"));
        foreach (var id in oldDeliveries)
        {
            await Eventually.WaitAsync(() => OrchestrationAsync(app, id), s => s == "Completed", what: $"{id}'s orchestration to complete");
        }
        var oldUntil = TimeProvider.System.GetUtcNow();
        Assert.Contains(await BlobNamesAsync(app), b => b.StartsWith(delivered + "/", StringComparison.Ordinal));

        var young = await CompletedBatchAsync(client, site.Url("/page"), ok.Url, idempotencyKey: "young-batch");
        var youngDelivery = Assert.Single(await DeliveriesWhenAsync(client, young, "delivered"));
        // Retention's clock is where the cutoff falls between the old and the young: the retention age after oldUntil.
        var retention = RetentionSweepAt(app, new FakeTimeProvider(oldUntil + RetentionAge(app)));
        await retention.SweepAsync(CancellationToken.None);
        // A pass that met an orchestration still finishing runs again at the next tick.
        await Eventually.WaitAsync(async () =>
        {
            await retention.SweepAsync(CancellationToken.None);
            return (await RowsAsync(app, "jobs")).Select(r => r.PartitionKey).Distinct().Order(StringComparer.Ordinal).ToList();
        }, partitions => partitions.SequenceEqual(new[] { young, pending }.Order(StringComparer.Ordinal)), TimeSpan.FromSeconds(15), "only the young and the pending job to be left");

        Assert.All(await BlobNamesAsync(app), b => Assert.True(b.StartsWith(young + "/", StringComparison.Ordinal) || b.StartsWith(pending + "/", StringComparison.Ordinal), b));
        Assert.All(await ListingTargetsAsync(app), e => Assert.Contains(e.Target, new[] { young, pending }));
        Assert.Contains(await ListingTargetsAsync(app), e => e.Target == young);
        Assert.Contains(await ListingTargetsAsync(app), e => e.Target == pending);
        Assert.Equal([young], (await RowsAsync(app, "idempotency")).Select(r => r.GetString("JobId")));
        foreach (var id in oldDeliveries)
        {
            Assert.Null(await OrchestrationAsync(app, id));
        }
        Assert.Equal("Completed", await OrchestrationAsync(app, youngDelivery));
        Assert.Equal("Running", await OrchestrationAsync(app, pendingDelivery));

        await (await client.GetAsync($"/v1/batches/{delivered}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/v1/events/{ping.GetProperty("event_id").GetString()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var events = (await client.ReadAllPagesAsync("/v1/events")).Items;
        Assert.Equal(["event_" + young["batch_".Length..]], events.Select(e => e.GetProperty("id").GetString()));
        await (await client.GetAsync($"/v1/batches/{young}")).AssertJsonAsync(HttpStatusCode.OK);
        var kept = await keeperClient.GetJsonAsync($"/v1/events/event_{pending["batch_".Length..]}");
        Assert.Equal("pending", Assert.Single(kept.GetProperty("deliveries").EnumerateArray()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Sweep_OneExpiredDeliveredBatch_StaysWithinItsStorageBudget()
    {
        var counter = new StorageOperationCounter();
        await using var app = await TestApp.StartAsync(Settings(), services => services.AddSingleton<HttpPipelinePolicy>(counter));
        await using var ok = await RecordingReceiver.StartAsync();
        var (site, _) = await Jobs.JobsTestKit.SiteAsync(async context =>
        {
            await Jobs.JobsTestKit.HtmlAsync(context, "page");
            return true;
        });
        await using var _ = site;
        var team = await CreateTeamAsync(app);
        using var client = app.Client(team.ApiKey);
        var batch = await CompletedBatchAsync(client, site.Url("/page"), ok.Url);
        var delivery = Assert.Single(await DeliveriesWhenAsync(client, batch, "delivered"));
        await Eventually.WaitAsync(() => OrchestrationAsync(app, delivery), s => s == "Completed", what: "the orchestration to complete");

        // The sweep's clock a second past the retention age from now: the batch has expired.
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        clock.Advance(RetentionAge(app) + TimeSpan.FromSeconds(1));
        var retention = RetentionSweepAt(app, clock);
        // The delivery's stats counts are written now, so that the flusher's timer has nothing to add to the sweep's count.
        await app.Services.GetRequiredService<Webhooks.Functions.Endpoints.EndpointHealth>().FlushAllAsync(CancellationToken.None);
        counter.Reset();
        counter.Recording = true;
        await retention.SweepAsync(CancellationToken.None);
        counter.Recording = false;

        // The idle engine's partition management (its Partitions table, leases) and queue polls are not the sweep's.
        var operations = counter.Operations.Where(o => !StorageOperationCounter.IsPartitionManagement(o)
            && !o.Contains("-control-", StringComparison.Ordinal) && !o.Contains("-workitems", StringComparison.Ordinal)).ToList();
        output.WriteLine($"{operations.Count} storage operations:\n{string.Join('\n', operations)}");
        Assert.Empty(await RowsAsync(app, "jobs"));
        Assert.Null(await OrchestrationAsync(app, delivery));
        Assert.True(operations.Count <= OnePartitionBudget, $"{operations.Count} operations: {string.Join(" | ", operations)}");
    }
}
