using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Jobs.JobsTestKit;

namespace Webhooks.Functions.Tests.Jobs;

/// <summary>
/// The largest batch SPEC §3 allows: its own app, so its background work stops with this class, on its own Azurite,
/// so that the load stalls no other test's storage (see <see cref="LargeBatchFixture"/>), and alone, since creating ten
/// thousand rows in one partition costs Azurite tens of seconds of CPU when the machine is shared.
/// </summary>
[Collection(RunsAloneCollection.Name)]
public sealed class LargeBatchTests(LargeBatchFixture fixture) : IClassFixture<LargeBatchFixture>
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task LargeBatch_TenThousandItems_AreCreatedAndPagedInOrder()
    {
        var (site, _) = await SiteAsync(context =>
        {
            context.Response.ContentType = "text/plain";
            return Task.FromResult(true);
        });
        await using var _site = site;
        const int total = 10_000;
        var items = string.Join(",", Enumerable.Range(0, total).Select(i => $$"""{"url":"{{site.Url($"/p{i}")}}","custom_id":"c{{i}}"}"""));
        using var client = App.Client();
        // Creating it is some 10^8 key comparisons for Azurite (see LargeBatchFixture): with the machine's two cores
        // shared with other builds it took longer than the usual 60 s of a test's client.
        client.Timeout = TimeSpan.FromMinutes(5);
        var created = await CreateAsync(client, "/v1/batches", $$"""{"items":[{{items}}]}""");
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(total, created.GetProperty("items_total").GetInt32());

        var listed = await ListAllAsync(client, $"/v1/batches/{id}/items", "items", limit: 1000);
        Assert.Equal(Enumerable.Range(0, total).Select(i => $"c{i}"), listed.Select(i => i.GetProperty("custom_id").GetString()));

        Assert.Equal(total, listed.Select(i => i.GetProperty("url").GetString()).Distinct().Count());
    }
}
