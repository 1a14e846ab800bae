using Webhooks.Functions.Events;
using Webhooks.Functions.Hosting;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Events.EventLogKit;

namespace Webhooks.Functions.Tests.Events;

/// <summary>
/// The index repair with the product's <c>EventIndex:RepairMinAge</c>: a row younger than that is not missing from the
/// listing, its listing rows are on their way from the process that wrote it, and the repair leaves it alone.
/// </summary>
public sealed class IndexRepairTests
{
    [Fact]
    public async Task Repair_UnlistedEvents_RelistsOnlyThoseOlderThanTheMinAge()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["EventIndex:RepairInterval"] = "00:00:00",
            // Only the sweep this test runs.
            ["Sweeper:Enabled"] = "false",
        });
        var team = await CreateTeamAsync(app);
        using var client = app.Client(team.ApiKey);
        var now = TimeProvider.System.GetUtcNow();
        var old = await CommitUnlistedAsync(app, team.Id, now - TimeSpan.FromHours(1));
        await CommitUnlistedAsync(app, team.Id, now);

        await app.Services.GetRequiredService<Sweeper>().RunAsync(CancellationToken.None);

        var listed = (await client.GetJsonAsync("/v1/events")).GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString());
        Assert.Equal([old], listed);
    }

    /// <summary>An event with no delivery, committed as the jobs engine commits it and never published: no listing rows.</summary>
    private static async Task<string> CommitUnlistedAsync(TestApp app, string teamId, DateTimeOffset createdAt)
    {
        var jobId = Ids.New("batch");
        var raised = await app.Services.GetRequiredService<EventRaiser>().PrepareAsync(
            teamId, jobId, EventTypes.BatchCompleted, EventSamples.BatchCompletedData(jobId), null, CancellationToken.None);
        Assert.Empty(raised.Deliveries);
        raised.Event.CreatedAt = createdAt;
        await app.Services.GetRequiredService<StorageAccount>().Jobs.SubmitTransactionAsync(raised.TransactionActions);
        return raised.Event.EventId;
    }
}
