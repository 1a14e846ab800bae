namespace Webhooks.Functions.Endpoints;

/// <summary>The <c>bucket</c> of <c>GET /v1/stats</c> (SPEC §14): an hour or a day of UTC, named as ISO 8601 durations.</summary>
internal static class StatsBucketSize
{
    public const string Hour = "PT1H";
    public const string Day = "P1D";

    public static readonly string[] All = [Hour, Day];

    public static TimeSpan Length(string bucket) => bucket == Day ? TimeSpan.FromDays(1) : TimeSpan.FromHours(1);

    /// <summary>The start of the bucket holding <paramref name="time"/>.</summary>
    public static DateTimeOffset Floor(DateTimeOffset time, string bucket)
    {
        var ticks = Length(bucket).Ticks;
        return new DateTimeOffset(time.UtcTicks - time.UtcTicks % ticks, TimeSpan.Zero);
    }

    /// <summary>The end of the bucket holding the instant just before <paramref name="time"/>: <paramref name="time"/> itself when it is a boundary.</summary>
    public static DateTimeOffset Ceiling(DateTimeOffset time, string bucket)
    {
        var floor = Floor(time, bucket);
        return floor == time ? time : floor + Length(bucket);
    }
}
