using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Endpoints;

/// <summary>Percentiles in milliseconds, read from a fixed-bucket histogram (so within its bucket, interpolated); null when nothing was counted.</summary>
internal sealed record StatsPercentiles(long? P50, long? P95, long? P99)
{
    public static readonly StatsPercentiles None = new(null, null, null);

    public static StatsPercentiles Of(DeliveryHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return new(histogram.Percentile(0.50), histogram.Percentile(0.95), histogram.Percentile(0.99));
    }
}
