using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Core.Pipeline;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Events;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Delivery;

public sealed class DeliveryOrchestrationFixture : IAsyncLifetime
{
    public StorageOperationCounter Counter { get; } = new();
    public TestApp App { get; private set; } = null!;
    public string TeamId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        App = await TestApp.StartAsync(
            new Dictionary<string, string?>
            {
                ["Delivery:Policies:standard"] = "0s,300ms,300ms,300ms,300ms",
                ["Delivery:AttemptTimeout"] = "00:00:01",
                ["Delivery:MaxRetryAfter"] = "00:00:05",
                // The sweeper's scans and repairs are not the delivery path, and they run on a timer of their own: kept
                // out of the window of the test that counts every storage operation of the path.
                ["Sweeper:Enabled"] = "false",
            },
            services => services.AddSingleton<HttpPipelinePolicy>(Counter));
        TeamId = await DeliveryTestKit.DevTeamIdAsync(App);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class DeliveryOrchestrationTests(DeliveryOrchestrationFixture fixture) : IClassFixture<DeliveryOrchestrationFixture>
{
    /// <summary>
    /// Storage operations of one delivery delivered at its first attempt, from the completion commit to its
    /// orchestration's end, as measured: the completion transaction and its listing-index write; the start (its
    /// ExecutionStarted message to the control queue, no Instances read or insert); the first step (receive, history
    /// read, history write, instance update, work-item send, message delete); the activity (receive, the delivery row's
    /// read — it carries the event's data —, the attempt transaction, result to the control queue, work-item delete);
    /// the last step (receive, history write, instance update, message delete).
    /// </summary>
    private const int DeliveryStorageBudget = 18;

    private TestApp App => fixture.App;

    /// <summary>Waits until the app makes no storage operation for half a second; returns how many were counted by then.</summary>
    private async Task<int> WaitUntilQuietAsync()
    {
        var settled = -1;
        await Eventually.WaitAsync(async () =>
        {
            var before = fixture.Counter.Operations.Count;
            await Task.Delay(500);
            return (before, after: fixture.Counter.Operations.Count);
        }, c => c.before == c.after && (settled = c.after) >= 0, what: "storage operations to settle");
        return settled;
    }

    [Fact]
    public async Task FirstAttemptSucceeds_DeliveredWithinTheStorageOperationBudget()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var raiser = App.Services.GetRequiredService<EventRaiser>();
        var storage = App.Services.GetRequiredService<StorageAccount>();
        // A first delivery warms the engine up: its partition leases and queues are not a delivery's cost. Its last
        // message delete can come after its status reads Completed, so the window opens once its operations stop.
        fixture.Counter.Recording = true;
        var warmUp = await DeliveryTestKit.RaiseAsync(App, fixture.TeamId, receiver.Url);
        await Eventually.WaitAsync(() => DeliveryTestKit.OrchestrationStatusAsync(App, warmUp.Deliveries[0].DeliveryId), s => s == "Completed");
        await WaitUntilQuietAsync();
        // The team row is read once per TeamStore.CacheLifetime per process, not per delivery: have it cached, as under load.
        await App.Services.GetRequiredService<Functions.Teams.TeamStore>().GetAsync(fixture.TeamId, default);

        fixture.Counter.Reset();
        var jobId = Functions.Ids.New("batch");
        var raised = await raiser.PrepareAsync(fixture.TeamId, jobId, EventTypes.BatchCompleted, EventSamples.BatchCompletedData(jobId, receiver.Url), receiver.Url, default);
        await storage.Jobs.SubmitTransactionAsync(raised.TransactionActions);
        await raiser.PublishAsync(raised, default);
        var delivery = await DeliveryTestKit.WaitForStatusAsync(App, raised.Deliveries[0], DeliveryStatus.Delivered);
        await Eventually.WaitAsync(() => DeliveryTestKit.OrchestrationStatusAsync(App, delivery.DeliveryId), s => s == "Completed",
            what: "the orchestration to complete");
        // Its last checkpoint (history, instance row, message delete) lands around the status change: wait until quiet.
        var settled = await WaitUntilQuietAsync();
        fixture.Counter.Recording = false;

        var all = string.Join(" | ", fixture.Counter.Operations);
        // The cache lasts seconds: on a slow machine the activity can come after it lapsed and read the team once more.
        var teamReads = fixture.Counter.Operations.Count(o => o.StartsWith("GET", StringComparison.Ordinal) && o.Contains("teams(", StringComparison.Ordinal));
        Assert.True(teamReads <= 1, $"{teamReads} reads of the team row: {all}");
        // The engine renews its partition leases (the task hub's Partitions table) on a timer of its own, deliveries or
        // not: on a loaded machine a renewal round falls inside the window (seen: 5 of 23 counted operations). Not a
        // delivery's cost, so not counted, like the team read.
        var leaseOps = fixture.Counter.Operations.Count(StorageOperationCounter.IsPartitionManagement);
        Assert.True(settled - teamReads - leaseOps <= DeliveryStorageBudget,
            $"{settled} storage operations, {teamReads} of them team reads, {leaseOps} partition-lease requests: {all}");
        Assert.Equal("1/5", delivery.Attempt);
        Assert.Equal(1, delivery.AttemptsMade);
        Assert.Equal(200, delivery.LastStatusCode);
        Assert.NotNull(delivery.DeliveredAt);
        Assert.Single(receiver.Received, r => r.Header("X-Webhook-Delivery-Id") == delivery.DeliveryId);
    }

    [Fact]
    public async Task ReceiverFailsTwiceThenSucceeds_AttemptsOneTwoThreeOfFive_SameEventAndDeliveryId()
    {
        await using var receiver = await WebhookReceiver.StartAsync((n, context) =>
        {
            context.Response.StatusCode = n <= 2 ? 500 : 200;
            return Task.CompletedTask;
        });
        var raised = await DeliveryTestKit.RaiseAsync(App, fixture.TeamId, receiver.Url);
        var delivery = await DeliveryTestKit.WaitForStatusAsync(App, raised.Deliveries[0], DeliveryStatus.Delivered);
        Assert.Equal("Completed", await DurableStatus.WaitForEndAsync(App, delivery.DeliveryId));

        var received = receiver.Received;
        Assert.Equal(["1/5", "2/5", "3/5"], received.Select(r => r.Header("X-Webhook-Attempt")));
        Assert.Equal(["1/5", "2/5", "3/5"], received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("delivery_attempt").GetString()));
        Assert.All(received, r => Assert.Equal(raised.Event.EventId, r.Header("webhook-id")));
        Assert.All(received, r => Assert.Equal(raised.Event.EventId, JsonDocument.Parse(r.Body).RootElement.GetProperty("id").GetString()));
        Assert.All(received, r => Assert.Equal(delivery.DeliveryId, r.Header("X-Webhook-Delivery-Id")));

        Assert.Equal("3/5", delivery.Attempt);
        Assert.Equal(3, delivery.AttemptsMade);
        Assert.Equal(5, delivery.MaxAttempts);
        Assert.Equal("standard", delivery.Policy);
        var attempts = await DeliveryTestKit.ReadAttemptsAsync(App, delivery);
        Assert.Equal(["1/5", "2/5", "3/5"], attempts.Select(a => a.Attempt));
        Assert.Equal([AttemptOutcome.HttpError, AttemptOutcome.HttpError, AttemptOutcome.Delivered], attempts.Select(a => a.Outcome));
        Assert.Equal([500, 500, 200], attempts.Select(a => a.StatusCode ?? 0));
    }

    [Fact]
    public async Task ReceiverAlwaysFails_FailedAfterExactlyFiveAttempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync((_, context) =>
        {
            context.Response.StatusCode = 503;
            return context.Response.WriteAsync("down for maintenance");
        });
        var raised = await DeliveryTestKit.RaiseAsync(App, fixture.TeamId, receiver.Url);
        var delivery = await DeliveryTestKit.WaitForStatusAsync(App, raised.Deliveries[0], DeliveryStatus.Failed);

        Assert.Equal("5/5", delivery.Attempt);
        Assert.Equal(5, delivery.AttemptsMade);
        Assert.Equal(503, delivery.LastStatusCode);
        Assert.Null(delivery.NextAttemptAt);
        var attempts = await DeliveryTestKit.ReadAttemptsAsync(App, delivery);
        Assert.Equal(["1/5", "2/5", "3/5", "4/5", "5/5"], attempts.Select(a => a.Attempt));
        Assert.All(attempts, a => Assert.Equal("down for maintenance", a.ResponseExcerpt));
        Assert.Equal("Completed", await DurableStatus.WaitForEndAsync(App, delivery.DeliveryId));
        Assert.Equal(5, receiver.Received.Count);
    }

    [Fact]
    public async Task Redirect_IsFailedAttempt_NotFollowed()
    {
        await using var target = await WebhookReceiver.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync((n, context) =>
        {
            context.Response.StatusCode = n == 1 ? 301 : 200;
            context.Response.Headers.Location = target.Url;
            return Task.CompletedTask;
        });
        var raised = await DeliveryTestKit.RaiseAsync(App, fixture.TeamId, receiver.Url);
        var delivery = await DeliveryTestKit.WaitForStatusAsync(App, raised.Deliveries[0], DeliveryStatus.Delivered);
        var attempts = await DeliveryTestKit.ReadAttemptsAsync(App, delivery);
        Assert.Equal(AttemptOutcome.Redirect, attempts[0].Outcome);
        Assert.Equal(301, attempts[0].StatusCode);
        Assert.Empty(target.Received);
    }

    [Fact]
    public async Task Gone_EndsDeliveryAtOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync((_, context) =>
        {
            context.Response.StatusCode = 410;
            return Task.CompletedTask;
        });
        var raised = await DeliveryTestKit.RaiseAsync(App, fixture.TeamId, receiver.Url);
        var delivery = await DeliveryTestKit.WaitForStatusAsync(App, raised.Deliveries[0], DeliveryStatus.Failed);
        Assert.Equal("1/5", delivery.Attempt);
        Assert.Equal("gone", delivery.LastError);
        Assert.Equal(AttemptOutcome.Gone, (await DeliveryTestKit.ReadAttemptsAsync(App, delivery)).Single().Outcome);
        // No retry after a 410: once the orchestration has ended, any second attempt would have arrived.
        Assert.Equal("Completed", await DurableStatus.WaitForEndAsync(App, delivery.DeliveryId));
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task SlowReceiver_TimesOut_ThenRetried()
    {
        await using var receiver = await WebhookReceiver.StartAsync(async (n, context) =>
        {
            if (n == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(3), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            context.Response.StatusCode = 200;
        });
        var raised = await DeliveryTestKit.RaiseAsync(App, fixture.TeamId, receiver.Url);
        var delivery = await DeliveryTestKit.WaitForStatusAsync(App, raised.Deliveries[0], DeliveryStatus.Delivered);
        var attempts = await DeliveryTestKit.ReadAttemptsAsync(App, delivery);
        Assert.Equal(AttemptOutcome.Timeout, attempts[0].Outcome);
        // The outcome says the timeout cut the attempt short; its recorded duration is at least that timeout. No upper
        // bound: on a loaded machine the cut can come late, and how late is no behaviour of ours.
        Assert.True(attempts[0].DurationMs >= 900, $"attempt 1 lasted {attempts[0].DurationMs} ms, less than the 1 s timeout");
        Assert.Equal(AttemptOutcome.Delivered, attempts[1].Outcome);
    }

    [Fact]
    public async Task RefusedConnection_IsConnectionError()
    {
        var closedPort = FreePort.Next();
        var raised = await DeliveryTestKit.RaiseAsync(App, fixture.TeamId, $"http://127.0.0.1:{closedPort}/hooks");
        var delivery = await DeliveryTestKit.WaitForStatusAsync(App, raised.Deliveries[0], DeliveryStatus.Failed);
        var attempts = await DeliveryTestKit.ReadAttemptsAsync(App, delivery);
        Assert.Equal(5, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(AttemptOutcome.ConnectionError, a.Outcome));
        Assert.Contains("refused", attempts[0].Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TooManyRequestsWithRetryAfter_NextAttemptWaitsAtLeastThatLong()
    {
        await using var receiver = await WebhookReceiver.StartAsync((n, context) =>
        {
            context.Response.StatusCode = n == 1 ? 429 : 200;
            context.Response.Headers.RetryAfter = "2";
            return Task.CompletedTask;
        });
        var raised = await DeliveryTestKit.RaiseAsync(App, fixture.TeamId, receiver.Url);
        await DeliveryTestKit.WaitForStatusAsync(App, raised.Deliveries[0], DeliveryStatus.Delivered, TimeSpan.FromSeconds(20));
        var received = receiver.Received;
        // The policy's own delay is 300 ms; the receiver asked for 2 s and gets at least that.
        Assert.True(received[1].ReceivedAt - received[0].ReceivedAt >= TimeSpan.FromSeconds(1.9),
            $"second attempt came {(received[1].ReceivedAt - received[0].ReceivedAt).TotalMilliseconds} ms after the first");
        Assert.Equal(429, (await DeliveryTestKit.ReadAttemptsAsync(App, raised.Deliveries[0]))[0].StatusCode);
    }

    [Fact]
    public async Task EveryAttempt_CarriesSpecHeaders_AndBothSignaturesVerify()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var raised = await DeliveryTestKit.RaiseAsync(App, fixture.TeamId, receiver.Url);
        var webhook = (await receiver.WaitForAsync(1))[0];
        using var client = App.Client();
        var secret = (await (await client.GetAsync("/v1/team/signing-secret")).AssertJsonAsync(HttpStatusCode.OK)).GetProperty("signing_secret").GetString()!;

        Assert.Equal("application/json", webhook.Header("Content-Type"));
        Assert.StartsWith("Webhooks.Functions/", webhook.Header("User-Agent"), StringComparison.Ordinal);
        Assert.Equal(raised.Event.EventId, webhook.Header("webhook-id"));
        Assert.Equal(EventTypes.BatchCompleted, webhook.Header("X-Webhook-Event"));
        Assert.Equal(raised.Deliveries[0].DeliveryId, webhook.Header("X-Webhook-Delivery-Id"));
        Assert.Equal("1/5", webhook.Header("X-Webhook-Attempt"));
        var timestamp = webhook.Header("webhook-timestamp");
        Assert.Equal(timestamp, webhook.Header("X-Webhook-Timestamp"));
        Assert.InRange(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture),
            TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() - 30, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() + 1);

        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signedContent = Encoding.UTF8.GetBytes($"{raised.Event.EventId}.{timestamp}.").Concat(webhook.Body).ToArray();
        Assert.Equal("v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signedContent)), webhook.Header("webhook-signature"));
        var hexContent = Encoding.UTF8.GetBytes($"{timestamp}.").Concat(webhook.Body).ToArray();
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), hexContent)), webhook.Header("X-Webhook-Signature"));

        var envelope = JsonDocument.Parse(webhook.Body).RootElement;
        Assert.Equal(["id", "object", "timestamp", "delivery_attempt", "data"], envelope.EnumerateObject().Select(p => p.Name));
        Assert.Equal(EventTypes.BatchCompleted, envelope.GetProperty("object").GetString());
        Assert.InRange(envelope.GetProperty("timestamp").GetInt64() / 1000 - long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), -1, 1);
    }

    [Fact]
    public async Task AttemptActivityRunAgain_SendsNothingAndReportsWhatWasRecorded()
    {
        await using var receiver = await WebhookReceiver.StartAsync((n, context) =>
        {
            context.Response.StatusCode = n == 1 ? 500 : 200;
            return Task.CompletedTask;
        });
        var raised = await DeliveryTestKit.RaiseAsync(App, fixture.TeamId, receiver.Url);
        var delivery = raised.Deliveries[0];
        await DeliveryTestKit.WaitForStatusAsync(App, delivery, DeliveryStatus.Delivered);

        // The engine runs activities at least once: attempt 1 and attempt 2 run again after they were recorded.
        var activity = App.Services.GetRequiredService<DeliveryAttemptActivity>();
        var again = await Task.WhenAll(
            activity.RunAsync(new AttemptRequest(delivery.PartitionKey, delivery.DeliveryId, 1), default),
            activity.RunAsync(new AttemptRequest(delivery.PartitionKey, delivery.DeliveryId, 2), default));

        Assert.All(again, report => Assert.Equal(DeliveryStatus.Delivered, report.Status));
        Assert.All(again, report => Assert.Equal("2/5", report.Attempt));
        Assert.Equal(2, receiver.Received.Count);
        Assert.Equal(["1/5", "2/5"], (await DeliveryTestKit.ReadAttemptsAsync(App, delivery)).Select(a => a.Attempt));
    }
}
