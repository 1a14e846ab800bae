using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// The OpenTelemetry instruments of deliveries (SPEC §14), on the app's <see cref="Telemetry.Meter"/>: every recorded
/// attempt by <c>outcome</c>, <c>status_class</c> and <c>event_type</c>, its duration, and raise → first 2xx of each
/// delivered delivery. The histograms' buckets are those of the delivery stats (<see cref="DeliveryHistogram"/>), in seconds.
/// </summary>
internal static class DeliveryMetrics
{
    public const string AttemptsName = "webhooks.attempts";
    public const string AttemptDurationName = "webhooks.attempt.duration";
    public const string DeliveryLatencyName = "webhooks.delivery.latency";
    public const string ParkedName = "webhooks.deliveries.parked";

    private static readonly Counter<long> Attempts = Telemetry.Meter.CreateCounter<long>(
        AttemptsName, "{attempt}", "Delivery attempts made and recorded.");

    private static readonly Histogram<double> AttemptDuration = Telemetry.Meter.CreateHistogram(
        AttemptDurationName, "s", "How long an attempt took, from sending to the answer or the error.", tags: null, Advice(DeliveryHistogram.DurationBoundsMs));

    private static readonly Histogram<double> DeliveryLatency = Telemetry.Meter.CreateHistogram(
        DeliveryLatencyName, "s", "From the event being raised to its delivery's first 2xx.", tags: null, Advice(DeliveryHistogram.LatencyBoundsMs));

    private static long s_parked = -1;

    private static readonly ObservableGauge<long> Parked = Telemetry.Meter.CreateObservableGauge(
        ParkedName, ObserveParked, "{delivery}", "Deliveries parked because their endpoint is disabled, as last counted by the sweeper.");

    /// <summary>What <see cref="ParkedDeliveriesCount"/> last counted; nothing is reported before its first count.</summary>
    public static void ParkedCounted(long count) => Interlocked.Exchange(ref s_parked, count);

    private static IEnumerable<Measurement<long>> ObserveParked()
    {
        var parked = Interlocked.Read(ref s_parked);
        return parked < 0 ? [] : [new Measurement<long>(parked)];
    }

    public static void AttemptRecorded(DeliveryEntity delivery, AttemptResult result)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(result);
        var tags = new TagList
        {
            { "outcome", result.Outcome },
            { "status_class", AttemptClass.StatusClassOf(result.StatusCode) },
            { "event_type", delivery.EventType },
        };
        Attempts.Add(1, tags);
        AttemptDuration.Record(result.Duration.TotalSeconds, tags);
        if (result.IsDelivered && delivery.DeliveredAt is { } deliveredAt)
        {
            DeliveryLatency.Record(Math.Max(0, (deliveredAt - delivery.CreatedAt).TotalSeconds), new KeyValuePair<string, object?>("event_type", delivery.EventType));
        }
    }

    private static InstrumentAdvice<double> Advice(double[] boundsMs) => new() { HistogramBucketBoundaries = [.. boundsMs.Select(ms => ms / 1000)] };
}
