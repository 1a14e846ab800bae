using System.ComponentModel;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Endpoints;

/// <summary>One bucket of <see cref="StatsResponse"/>.</summary>
internal sealed record StatsEntry(
    [property: Description("The bucket's start (UTC).")] DateTimeOffset Start,
    [property: Description("Attempts made in the bucket.")] long Attempts,
    [property: Description("Attempts answered 2xx.")] long Delivered,
    [property: Description("Failed attempts by class: redirects count as 3xx, 410 Gone as 4xx, a blocked address as connection.")] StatsFailures Failed,
    [property: Description("Attempt duration percentiles in milliseconds, from a histogram of fixed buckets; null without attempts.")] StatsPercentiles DurationMs,
    [property: Description("Raise → first 2xx of the deliveries delivered in the bucket, in milliseconds; null without any.")] StatsPercentiles DeliveryLatencyMs)
    : IApiExample<StatsEntry>
{
    public static StatsEntry Example => new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero), 11, 7, new StatsFailures(0, 0, 2, 1, 1),
        new StatsPercentiles(38, 240, 4_800), new StatsPercentiles(120, 2_100, 2_400));

    public static StatsEntry From(DeliveryStatsBucket bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        var c = bucket.Counts;
        return new StatsEntry(bucket.Start, c.Attempts, c.Delivered,
            new StatsFailures(c.Failed[AttemptClass.Redirect], c.Failed[AttemptClass.ClientError], c.Failed[AttemptClass.ServerError],
                c.Failed[AttemptClass.Timeout], c.Failed[AttemptClass.Connection]),
            StatsPercentiles.Of(c.Durations), StatsPercentiles.Of(c.Latencies));
    }
}
