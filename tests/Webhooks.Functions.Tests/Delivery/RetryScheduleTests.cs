using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Tests.Delivery;

public sealed class RetryScheduleTests
{
    private static readonly TimeSpan[] Standard =
        [TimeSpan.Zero, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(7), TimeSpan.FromMinutes(15)];

    [Theory]
    [InlineData(2, 120)]
    [InlineData(3, 240)]
    [InlineData(4, 420)]
    [InlineData(5, 900)]
    public void NextDelay_NoJitter_IsPolicyDelay(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetrySchedule.NextDelay(Standard, attempt, 0, 0.7, null, TimeSpan.FromMinutes(15)));

    [Theory]
    [InlineData(0.0, 108)]
    [InlineData(0.5, 120)]
    [InlineData(0.999999, 132)]
    public void NextDelay_TenPercentJitter_StaysWithinBounds(double random, int expectedSeconds) =>
        Assert.Equal(expectedSeconds, RetrySchedule.NextDelay(Standard, 2, 0.1, random, null, TimeSpan.FromMinutes(15)).TotalSeconds, 0);

    [Fact]
    public void NextDelay_RetryAfterLonger_StretchesDelay() =>
        Assert.Equal(TimeSpan.FromMinutes(5), RetrySchedule.NextDelay(Standard, 2, 0, 0.5, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)));

    [Fact]
    public void NextDelay_RetryAfterShorter_NeverShortens() =>
        Assert.Equal(TimeSpan.FromMinutes(2), RetrySchedule.NextDelay(Standard, 2, 0, 0.5, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(15)));

    [Fact]
    public void NextDelay_RetryAfterBeyondCap_IsCapped() =>
        Assert.Equal(TimeSpan.FromMinutes(15), RetrySchedule.NextDelay(Standard, 2, 0, 0.5, TimeSpan.FromHours(3), TimeSpan.FromMinutes(15)));

    [Fact]
    public void NextDelay_CapBelowPolicyDelay_KeepsPolicyDelay() =>
        Assert.Equal(TimeSpan.FromMinutes(15), RetrySchedule.NextDelay(Standard, 5, 0, 0.5, TimeSpan.FromHours(1), TimeSpan.FromMinutes(1)));

    [Theory]
    [InlineData("0s,1s,2s", new[] { 0, 1000, 2000 })]
    [InlineData("0s,500ms,2m,1h", new[] { 0, 500, 120_000, 3_600_000 })]
    [InlineData(" 0s , 5s ", new[] { 0, 5000 })]
    public void TryParseSchedule_ValidText_ParsesDelays(string text, int[] milliseconds)
    {
        Assert.True(RetryPolicies.TryParseSchedule(text, out var delays, out _));
        Assert.Equal(milliseconds, delays.Select(d => (int)d.TotalMilliseconds));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1x")]
    [InlineData("-1s")]
    [InlineData("8d")]
    [InlineData("0s,,1s")]
    public void TryParseSchedule_InvalidText_Fails(string text) =>
        Assert.False(RetryPolicies.TryParseSchedule(text, out _, out var error) || error.Length == 0);

    [Fact]
    public void BuiltInPolicies_MatchSpec()
    {
        var policies = new RetryPolicies(Microsoft.Extensions.Options.Options.Create(new DeliveryOptions()));
        Assert.Equal("0s,2m,4m,7m,15m", policies.ForTeam("standard").ScheduleText);
        Assert.Equal("0s,30s,2m,10m", policies.ForTeam("short").ScheduleText);
        Assert.Equal("0s,5s,5m,30m,2h,5h,10h,10h", policies.ForTeam("extended").ScheduleText);
        Assert.Equal(5, policies.Default.MaxAttempts);
        Assert.Equal("standard", policies.ForTeam(null).Name);
    }
}
