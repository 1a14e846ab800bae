using System.Text.Json.Nodes;

namespace Webhooks.Bench.Infrastructure;

internal static class Percentiles
{
    /// <summary>Nearest-rank percentile of an ascending list.</summary>
    public static double Of(IReadOnlyList<double> sorted, double percentile)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static JsonObject Summary(IEnumerable<double> values, string unit)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return new JsonObject { ["count"] = 0 };
        }
        return new JsonObject
        {
            ["count"] = sorted.Count,
            ["p50_" + unit] = Math.Round(Of(sorted, 50), 1),
            ["p95_" + unit] = Math.Round(Of(sorted, 95), 1),
            ["p99_" + unit] = Math.Round(Of(sorted, 99), 1),
            ["max_" + unit] = Math.Round(sorted[^1], 1),
        };
    }
}
