using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Jobs;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Jobs.JobsTestKit;

namespace Webhooks.Functions.Tests.Jobs;

public sealed class BatchEngineTests(JobsFixture fixture) : IClassFixture<JobsFixture>
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task BatchCompleted_WithWebhook_ReceiverGetsOneEventWhoseDataEqualsGet()
    {
        var received = new ConcurrentQueue<(string? Event, string Body)>();
        await using var receiver = await LocalServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            received.Enqueue((context.Request.Headers["X-Webhook-Event"].ToString(), await reader.ReadToEndAsync()));
            context.Response.StatusCode = 204;
        });
        var (site, _) = await SiteAsync(async context =>
        {
            await HtmlAsync(context, "Page");
            return true;
        });
        await using var _site = site;
        using var client = App.Client();
        var created = await CreateAsync(client, "/v1/batches",
            $$"""{"items":[{"url":"{{site.Url("/1")}}"},{"url":"{{site.Url("/2")}}"}],"webhook":"{{receiver.Url("/hooks")}}"}""");
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(receiver.Url("/hooks"), created.GetProperty("webhook").GetString());

        var done = await WaitForEndAsync(client, $"/v1/batches/{id}");
        // Once the delivery's orchestration has ended, no attempt of it can come late: then there is exactly one.
        var delivery = Assert.Single(await RowsAsync(App, id, DeliveryEntity.RowPrefix));
        Assert.Equal("Completed", await DurableStatus.WaitForEndAsync(App, delivery.GetString(nameof(DeliveryEntity.DeliveryId))));
        var (eventType, body) = Assert.Single(received);
        Assert.Equal("event.batch.completed", eventType);
        var envelope = JsonDocument.Parse(body).RootElement;
        Assert.Equal("event.batch.completed", envelope.GetProperty("object").GetString());
        Assert.Equal("event_" + id["batch_".Length..], envelope.GetProperty("id").GetString());
        Assert.Equal(done.GetRawText(), envelope.GetProperty("data").GetRawText());
        Assert.Equal(2, done.GetProperty("items_completed").GetInt32());
    }

    [Fact]
    public async Task WorkMessages_DuplicatedAndConcurrent_CountEachItemOnceAndRaiseOneEvent()
    {
        var posts = 0;
        await using var receiver = await LocalServer.StartAsync(context =>
        {
            Interlocked.Increment(ref posts);
            context.Response.StatusCode = 200;
            return Task.CompletedTask;
        });
        var (site, _) = await SiteAsync(async context =>
        {
            await Task.Delay(20);
            if (context.Request.Path.Value!.EndsWith("/odd", StringComparison.Ordinal))
            {
                return false;
            }
            await HtmlAsync(context, "ok");
            return true;
        });
        await using var _site = site;
        const int total = 120;
        var items = string.Join(",", Enumerable.Range(0, total).Select(i => $$"""{"url":"{{site.Url($"/{i}/{(i % 2 == 0 ? "even" : "odd")}")}}"}"""));
        using var client = App.Client();
        var created = await CreateAsync(client, "/v1/batches", $$"""{"items":[{{items}}],"webhook":"{{receiver.Url("/h")}}"}""");
        var id = created.GetProperty("id").GetString()!;

        // The poller works the queued messages too; on top, every chunk message is handled three more times at once.
        var handler = App.Services.GetRequiredService<JobsQueueHandler>();
        var messages = new[] { new JobMessage(id, 0, 50), new JobMessage(id, 50, 50), new JobMessage(id, 100, 20) };
        await Task.WhenAll(messages.SelectMany(m => Enumerable.Repeat(m, 3))
            .Select(m => Task.Run(() => handler.HandleAsync(new QueueWork(m.ToText(), 1, null), CancellationToken.None))));

        var done = await WaitForEndAsync(client, $"/v1/batches/{id}");
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(total / 2, done.GetProperty("items_completed").GetInt32());
        Assert.Equal(total / 2, done.GetProperty("items_failed").GetInt32());
        var listed = await ListAllAsync(client, $"/v1/batches/{id}/items", "items", limit: 1000);
        Assert.Equal(total, listed.Count);
        Assert.All(listed.Where((_, i) => i % 2 == 0), i => Assert.Equal("completed", i.GetProperty("status").GetString()));
        Assert.All(listed.Where((_, i) => i % 2 == 1), i => Assert.Equal("HTTP 404 Not Found", i.GetProperty("error").GetString()));

        // Replaying after completion changes nothing either.
        await handler.HandleAsync(new QueueWork(messages[0].ToText(), 2, null), CancellationToken.None);
        Assert.Single(await RowsAsync(App, id, "event"));
        var delivery = Assert.Single(await RowsAsync(App, id, DeliveryEntity.RowPrefix));
        // The one delivery's orchestration has ended, so every attempt it made is in: exactly one post.
        Assert.Equal("Completed", await DurableStatus.WaitForEndAsync(App, delivery.GetString(nameof(DeliveryEntity.DeliveryId))));
        Assert.Equal(1, Volatile.Read(ref posts));
        Assert.Equal(done.GetRawText(), (await (await client.GetAsync($"/v1/batches/{id}")).AssertJsonAsync(HttpStatusCode.OK)).GetRawText());
    }
}
