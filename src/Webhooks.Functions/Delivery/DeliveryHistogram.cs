using System.Globalization;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// Counts of values (milliseconds) in fixed buckets: the delivery stats' attempt durations and delivery latencies
/// (SPEC §14). The bounds are fixed, not fitted to the data, so the histograms of several instances and hours add up
/// bucket by bucket; the OpenTelemetry histograms use the same bounds (in seconds).
/// </summary>
internal sealed class DeliveryHistogram
{
    /// <summary>Upper bounds (inclusive) of an attempt's duration, in ms; the last bucket holds everything longer.</summary>
    public static readonly double[] DurationBoundsMs = [10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000];

    /// <summary>Upper bounds (inclusive) of raise → first 2xx, in ms: from a tenth of a second to a day.</summary>
    public static readonly double[] LatencyBoundsMs =
        [100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000];

    private readonly double[] _bounds;
    private readonly long[] _counts;

    public DeliveryHistogram(double[] bounds)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        _bounds = bounds;
        _counts = new long[bounds.Length + 1];
    }

    public long Count => _counts.Sum();

    public void Add(double valueMs)
    {
        var i = 0;
        while (i < _bounds.Length && valueMs > _bounds[i])
        {
            i++;
        }
        _counts[i]++;
    }

    public void Add(DeliveryHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
    }

    public void Clear() => Array.Clear(_counts);

    public DeliveryHistogram Copy()
    {
        var copy = new DeliveryHistogram(_bounds);
        copy.Add(this);
        return copy;
    }

    /// <summary>
    /// The value below which <paramref name="quantile"/> of the counted values lie, interpolated linearly inside its
    /// bucket (the first bucket starts at 0; the open last bucket answers its lower bound); null when nothing was counted.
    /// </summary>
    public long? Percentile(double quantile)
    {
        var total = Count;
        if (total == 0)
        {
            return null;
        }
        var rank = quantile * total;
        long below = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] > 0 && below + _counts[i] >= rank)
            {
                var lower = i == 0 ? 0 : _bounds[i - 1];
                if (i == _bounds.Length)
                {
                    return (long)Math.Round(lower);
                }
                var fraction = Math.Clamp((rank - below) / _counts[i], 0, 1);
                return (long)Math.Round(lower + (_bounds[i] - lower) * fraction);
            }
            below += _counts[i];
        }
        return (long)Math.Round(_bounds[^1]);
    }

    /// <summary>The counts as stored in a row: comma-separated, one per bucket.</summary>
    public override string ToString() => string.Join(',', _counts.Select(c => c.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Adds the counts stored by <see cref="ToString"/>; a row of other bounds (or none) adds what fits.</summary>
    public void AddStored(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }
        var parts = text.Split(',');
        for (var i = 0; i < parts.Length && i < _counts.Length; i++)
        {
            if (long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                _counts[i] += count;
            }
        }
    }
}
