using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Tests.Delivery;

/// <summary>
/// Where retries are decided (<see cref="RetryDecision.After"/>): a pure function of the attempt's result, the
/// delivery's schedule and its id, so these tests need no app, no storage and no clock beyond a fake one for the
/// conversion of a dated <c>Retry-After</c>.
/// </summary>
public sealed class RetryDecisionTests
{
    private const string DeliveryId = "dlv_0123456789abcdef";
    private const double NoJitter = 0;
    private const double TenPercent = 0.1;

    private static readonly TimeSpan[] Schedule = [TimeSpan.Zero, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60)];
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(15);
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Delivered_EndsTheDelivery_WhateverAttemptItWas()
    {
        Assert.Equal((DeliveryStatus.Delivered, (TimeSpan?)null), Decide(Result(AttemptOutcome.Delivered, 200), attempt: 1));
        Assert.Equal((DeliveryStatus.Delivered, (TimeSpan?)null), Decide(Result(AttemptOutcome.Delivered, 204), attempt: 3));
    }

    [Fact]
    public void Gone_EndsTheDeliveryAsFailed_AtOnce() =>
        Assert.Equal((DeliveryStatus.Failed, (TimeSpan?)null), Decide(Result(AttemptOutcome.Gone, 410), attempt: 1));

    [Theory]
    [InlineData(AttemptOutcome.HttpError, 500)]
    [InlineData(AttemptOutcome.Timeout, null)]
    [InlineData(AttemptOutcome.ConnectionError, null)]
    public void OtherFailures_BeforeTheLastAttempt_WaitForThePolicysNextDelay(string outcome, int? statusCode)
    {
        Assert.Equal((DeliveryStatus.Pending, TimeSpan.FromSeconds(10)), Decide(Result(outcome, statusCode), attempt: 1));
        Assert.Equal((DeliveryStatus.Pending, TimeSpan.FromSeconds(60)), Decide(Result(outcome, statusCode), attempt: 2));
    }

    [Fact]
    public void FailureOfTheLastAttempt_EndsTheDeliveryAsFailed() =>
        Assert.Equal((DeliveryStatus.Failed, (TimeSpan?)null), Decide(Result(AttemptOutcome.HttpError, 503), attempt: 3));

    [Fact]
    public void Jitter_IsTheSameForTheSameDeliveryAndAttempt_AndStaysWithinItsBounds()
    {
        var first = After(Result(AttemptOutcome.HttpError, 500), attempt: 1, DeliveryId, TenPercent);
        var again = After(Result(AttemptOutcome.HttpError, 500), attempt: 1, DeliveryId, TenPercent);
        Assert.Equal(first, again);

        // Over many deliveries the delays spread over the whole ±10 % band, each inside it.
        var delays = Enumerable.Range(0, 2000)
            .Select(i => After(Result(AttemptOutcome.HttpError, 500), attempt: 1, $"dlv_{i:x16}", TenPercent).NextDelay!.Value.TotalSeconds)
            .ToList();
        Assert.All(delays, d => Assert.InRange(d, 9.0, 11.0));
        Assert.True(delays.Min() < 9.1 && delays.Max() > 10.9, $"delays from {delays.Min()} s to {delays.Max()} s");
        Assert.True(delays.Distinct().Count() > 1900, "each delivery gets its own delay");
    }

    [Fact]
    public void JitterSample_DependsOnTheAttemptToo() =>
        Assert.NotEqual(RetryDecision.JitterSample(DeliveryId, 2), RetryDecision.JitterSample(DeliveryId, 3));

    [Fact]
    public void RetryAfter_LongerThanThePolicysDelay_IsHonoured() =>
        Assert.Equal((DeliveryStatus.Pending, TimeSpan.FromSeconds(45)),
            Decide(Result(AttemptOutcome.HttpError, 429, retryAfter: TimeSpan.FromSeconds(45)), attempt: 1));

    [Fact]
    public void RetryAfter_ShorterThanThePolicysDelay_NeverShortensIt() =>
        Assert.Equal((DeliveryStatus.Pending, TimeSpan.FromSeconds(10)),
            Decide(Result(AttemptOutcome.HttpError, 503, retryAfter: TimeSpan.FromSeconds(2)), attempt: 1));

    [Fact]
    public void RetryAfter_BeyondTheCap_IsCappedAtDeliveryMaxRetryAfter() =>
        Assert.Equal((DeliveryStatus.Pending, MaxRetryAfter),
            Decide(Result(AttemptOutcome.HttpError, 429, retryAfter: TimeSpan.FromHours(6)), attempt: 1));

    [Fact]
    public void RetryAfter_OnTheLastAttempt_DoesNotKeepTheDeliveryGoing() =>
        Assert.Equal((DeliveryStatus.Failed, (TimeSpan?)null),
            Decide(Result(AttemptOutcome.HttpError, 429, retryAfter: TimeSpan.FromSeconds(30)), attempt: 3));

    [Fact]
    public void DatedRetryAfter_IsTheTimeLeftUntilThatDate_OnTheAttemptsClock()
    {
        var clock = new FakeTimeProvider(Now);
        var header = RetryConditionHeaderValue.Parse(Now.AddSeconds(90).ToString("r"));
        Assert.Equal(TimeSpan.FromSeconds(90), WebhookSender.RetryAfter(header, clock.GetUtcNow()));

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(60), WebhookSender.RetryAfter(header, clock.GetUtcNow()));

        // A date already past asks for no wait at all: the policy's delay stands.
        clock.Advance(TimeSpan.FromMinutes(5));
        var past = WebhookSender.RetryAfter(header, clock.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, past);
        Assert.Equal((DeliveryStatus.Pending, TimeSpan.FromSeconds(10)), Decide(Result(AttemptOutcome.HttpError, 503, retryAfter: past), attempt: 1));
    }

    [Fact]
    public void SecondsRetryAfter_IsTakenAsGiven() =>
        Assert.Equal(TimeSpan.FromSeconds(120), WebhookSender.RetryAfter(RetryConditionHeaderValue.Parse("120"), Now));

    private static (string Status, TimeSpan? NextDelay) Decide(AttemptResult result, int attempt) =>
        After(result, attempt, DeliveryId, NoJitter);

    private static (string Status, TimeSpan? NextDelay) After(AttemptResult result, int attempt, string deliveryId, double jitter) =>
        RetryDecision.After(result, attempt, maxAttempts: Schedule.Length, Schedule, deliveryId, jitter, MaxRetryAfter);

    private static AttemptResult Result(string outcome, int? statusCode, TimeSpan? retryAfter = null) =>
        new(outcome, statusCode, null, outcome == AttemptOutcome.Delivered ? null : "failed", Now, TimeSpan.FromMilliseconds(20), retryAfter);
}
