using Microsoft.Extensions.Options;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Delivery;

/// <summary>
/// SPEC §13, slowing down: a 429/502/503/504 halves the attempts allowed in flight to a host, down to one; each
/// success adds one back, up to Delivery:MaxConcurrentAttemptsPerHost; an attempt over the limit gets no slot.
/// </summary>
public sealed class HostConcurrencyTests
{
    private static readonly Uri Receiver = new("https://receiver.example/hooks");
    private static readonly Uri Other = new("https://other.example/hooks");

    [Fact]
    public void Struggling_HalvesTheLimitToAFloorOfOne_SuccessesAddOneBackUpToTheCeiling()
    {
        using var concurrency = New(perHost: 8);

        concurrency.Record(Receiver, Answer(503));
        Assert.Equal(4, concurrency.LimitOf(Receiver));
        concurrency.Record(Receiver, Answer(429));
        concurrency.Record(Receiver, Answer(502));
        concurrency.Record(Receiver, Answer(504));
        concurrency.Record(Receiver, Answer(503));
        Assert.Equal(1, concurrency.LimitOf(Receiver));
        Assert.Equal(8, concurrency.LimitOf(Other));

        concurrency.Record(Receiver, Answer(500));
        Assert.Equal(1, concurrency.LimitOf(Receiver));
        for (var i = 0; i < 20; i++)
        {
            concurrency.Record(Receiver, Answer(200));
        }
        Assert.Equal(8, concurrency.LimitOf(Receiver));
    }

    [Fact]
    public void OverTheLoweredLimit_AnAttemptGetsNoSlot_UntilOneIsReleased()
    {
        using var concurrency = New(perHost: 4);
        concurrency.Record(Receiver, Answer(503));

        var first = concurrency.TryAcquire(Receiver);
        var second = concurrency.TryAcquire(Receiver);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(concurrency.TryAcquire(Receiver));
        Assert.NotNull(concurrency.TryAcquire(Other));

        first!.Dispose();
        using var third = concurrency.TryAcquire(Receiver);
        Assert.NotNull(third);
        second!.Dispose();
    }

    [Fact]
    public async Task A503FromAReceiver_LowersItsLimitInTheApp_AndTheSuccessThatFollowsRaisesIt()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Delivery:Policies:standard"] = "0s,1s",
            ["Delivery:MaxConcurrentAttemptsPerHost"] = "8",
        });
        await using var receiver = await WebhookReceiver.StartAsync((n, context) =>
        {
            context.Response.StatusCode = n == 1 ? 503 : 200;
            return Task.CompletedTask;
        });

        var raised = await DeliveryTestKit.RaiseAsync(app, await DeliveryTestKit.DevTeamIdAsync(app), webhook: receiver.Url);

        var delivered = await DeliveryTestKit.WaitForStatusAsync(app, Assert.Single(raised.Deliveries), "delivered");
        Assert.Equal(2, delivered.AttemptsMade);
        Assert.Equal(5, app.Services.GetRequiredService<HostConcurrency>().LimitOf(new Uri(receiver.Url)));
    }

    [Fact]
    public async Task OverALoweredLimit_AnAttemptWaitsOnADurableTimer_AndIsNotCountedAsAnAttempt()
    {
        var logs = new Portal.RecordedLogs();
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?>
            {
                ["Delivery:Policies:standard"] = "0s,1s,1s",
                ["Delivery:MaxConcurrentAttemptsPerHost"] = "2",
                [$"Logging:LogLevel:{typeof(DeliveryAttemptActivity).FullName}"] = "Debug",
            },
            services => services.AddSingleton<ILoggerProvider>(logs));
        var firstRetryHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await WebhookReceiver.StartAsync(async (n, context) =>
        {
            // 1: a 503 halves the host's limit from 2 to 1. 2: the retry that follows holds that one slot until released.
            if (n == 2)
            {
                await firstRetryHeld.Task;
            }
            context.Response.StatusCode = n == 1 ? 503 : 200;
        });
        var teamId = await DeliveryTestKit.DevTeamIdAsync(app);
        var first = Assert.Single((await DeliveryTestKit.RaiseAsync(app, teamId, webhook: receiver.Url)).Deliveries);
        await receiver.WaitForAsync(2);
        Assert.Equal(1, app.Services.GetRequiredService<HostConcurrency>().LimitOf(new Uri(receiver.Url)));

        var second = Assert.Single((await DeliveryTestKit.RaiseAsync(app, teamId, webhook: receiver.Url)).Deliveries);
        // Facts, not a window: the second delivery's activity ran, found no slot and said so, twice (one wait, then the
        // durable timer brought it back to a host still at its limit); meanwhile nothing more reached the receiver.
        await Eventually.WaitAsync(
            () => Task.FromResult(logs.Lines.Count(l => l.Contains($"Delivery {second.DeliveryId} waits for a slot", StringComparison.Ordinal))),
            waits => waits >= 2, TimeSpan.FromSeconds(30), $"delivery {second.DeliveryId} to wait for a slot twice");
        Assert.Equal(2, receiver.Received.Count);
        var waiting = await DeliveryTestKit.ReadDeliveryAsync(app, second);
        Assert.Equal("pending", waiting.Status);
        Assert.Equal(0, waiting.AttemptsMade);

        firstRetryHeld.SetResult();
        var delivered = await DeliveryTestKit.WaitForStatusAsync(app, second, "delivered");
        Assert.Equal(1, delivered.AttemptsMade);
        Assert.Equal("1/3", delivered.Attempt);
        Assert.Single(await DeliveryTestKit.ReadAttemptsAsync(app, second));
        Assert.Equal(2, (await DeliveryTestKit.WaitForStatusAsync(app, first, "delivered")).AttemptsMade);
        Assert.Equal(3, receiver.Received.Count);
    }

    private static HostConcurrency New(int perHost) =>
        new(Options.Create(new DeliveryOptions { MaxConcurrentAttemptsPerHost = perHost, MaxConcurrentAttempts = 100 }));

    private static AttemptResult Answer(int status) =>
        new(status is >= 200 and < 300 ? AttemptOutcome.Delivered : AttemptOutcome.HttpError, status, null, null, default, TimeSpan.Zero, null);
}
