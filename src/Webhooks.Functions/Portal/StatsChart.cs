using System.Globalization;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Endpoints;

namespace Webhooks.Functions.Portal;

/// <summary>
/// The portal's delivery chart (SPEC §14): attempts per bucket stacked by outcome, and the p95 attempt duration as a
/// line on its own scale, drawn as server-rendered SVG (no JavaScript; colours come from the stylesheet, so the strict
/// CSP needs nothing new). The same figures are a table for screen readers (see <c>_StatsChart.cshtml</c>).
/// </summary>
internal sealed class StatsChart
{
    public const double Width = 600;
    public const double Height = 260;
    public const double Left = 44;
    public const double Right = 76;
    public const double Top = 12;
    public const double Bottom = 30;

    /// <summary>The stacked series, bottom first: CSS class, label, and how to read the count from a bucket.</summary>
    public static readonly IReadOnlyList<(string Class, string Label, Func<DeliveryStatsCounts, long> Count)> Series =
    [
        ("s-delivered", "Delivered", c => c.Delivered),
        ("s-3xx", "3xx", c => c.Failed[AttemptClass.Redirect]),
        ("s-4xx", "4xx", c => c.Failed[AttemptClass.ClientError]),
        ("s-5xx", "5xx", c => c.Failed[AttemptClass.ServerError]),
        ("s-timeout", "Timeout", c => c.Failed[AttemptClass.Timeout]),
        ("s-connection", "Connection", c => c.Failed[AttemptClass.Connection]),
    ];

    private StatsChart(string id, PortalStatsRange range, IReadOnlyList<DeliveryStatsBucket> buckets)
    {
        Id = id;
        Range = range;
        Buckets = buckets;
        foreach (var bucket in buckets)
        {
            Total.Add(bucket.Counts);
        }
        MaxAttempts = NiceCeiling(buckets.Count == 0 ? 0 : buckets.Max(b => b.Counts.Attempts));
        var p95s = buckets.Select(b => b.Counts.Durations.Percentile(0.95)).ToList();
        MaxP95Ms = NiceCeiling(p95s.Max(p => p ?? 0));
        P95Ms = p95s;
    }

    /// <summary>Prefix of the ids of the chart's elements (unique on the page).</summary>
    public string Id { get; }

    public PortalStatsRange Range { get; }

    public IReadOnlyList<DeliveryStatsBucket> Buckets { get; }

    /// <summary>Every bucket added up: the figures above the chart.</summary>
    public DeliveryStatsCounts Total { get; } = new();

    public long MaxAttempts { get; }

    public long MaxP95Ms { get; }

    /// <summary>Each bucket's p95 attempt duration; null without attempts.</summary>
    public IReadOnlyList<long?> P95Ms { get; }

    public long Failed => Total.Attempts - Total.Delivered;

    public static StatsChart Of(string id, PortalStatsRange range, IReadOnlyList<DeliveryStatsBucket> buckets)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(buckets);
        return new StatsChart(id, range, buckets);
    }

    private static double PlotWidth => Width - Left - Right;

    private static double PlotHeight => Height - Top - Bottom;

    private double Slot => PlotWidth / Math.Max(1, Buckets.Count);

    /// <summary>The bars of one bucket, bottom first: class, label, count, and the rectangle (zero-height ones left out).</summary>
    public IEnumerable<(string Class, string Label, long Count, string X, string Y, string W, string H)> Bars(int index)
    {
        var counts = Buckets[index].Counts;
        var x = Left + index * Slot + Slot * 0.15;
        var w = Slot * 0.7;
        double stacked = 0;
        foreach (var (cls, label, count) in Series)
        {
            var n = count(counts);
            if (n == 0)
            {
                continue;
            }
            var h = n * PlotHeight / MaxAttempts;
            var y = Top + PlotHeight - stacked - h;
            stacked += h;
            yield return (cls, label, n, F(x), F(y), F(w), F(h));
        }
    }

    /// <summary>The p95 line's points ("x,y x,y …"), buckets without attempts left out.</summary>
    public string P95Points => string.Join(' ', P95Dots.Select(d => $"{d.X},{d.Y}"));

    public IEnumerable<(string X, string Y, long Ms)> P95Dots =>
        P95Ms.Select((p, i) => (p, i)).Where(t => t.p is not null)
            .Select(t => (F(Left + (t.i + 0.5) * Slot), F(Top + PlotHeight - t.p!.Value * PlotHeight / MaxP95Ms), t.p!.Value));

    /// <summary>The horizontal grid lines: y, the attempts at the left, the p95 milliseconds at the right.</summary>
    /// <remarks>Without any attempt there is no duration scale: its labels are empty.</remarks>
    public IEnumerable<(string Y, string Attempts, string Ms)> GridLines =>
        Enumerable.Range(0, 5).Select(i =>
            (F(Top + PlotHeight - i * PlotHeight / 4), N(MaxAttempts * i / 4), Total.Attempts == 0 ? "" : N(MaxP95Ms * i / 4) + " ms"));

    /// <summary>The labels under the plot: every sixth hour, or every fifth day.</summary>
    public IEnumerable<(string X, string Text)> XLabels
    {
        get
        {
            var every = Range.Bucket == StatsBucketSize.Day ? 5 : 6;
            for (var i = 0; i < Buckets.Count; i += every)
            {
                yield return (F(Left + (i + 0.5) * Slot), Label(Buckets[i].Start));
            }
        }
    }

    public static string PlotLeft => F(Left);

    public static string PlotRight => F(Width - Right);

    public static string PlotBottom => F(Top + PlotHeight);

    public static string RightLabelX => F(Width - Right + 6);

    public static string LeftLabelX => F(Left - 6);

    public static string BottomLabelY => F(Height - Bottom + 18);

    public static string ViewBox => $"0 0 {F(Width)} {F(Height)}";

    public string Label(DateTimeOffset start) =>
        start.UtcDateTime.ToString(Range.Bucket == StatsBucketSize.Day ? "MMM d" : "HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A bucket's start in full, for the table and the bars' titles.</summary>
    public string Start(DateTimeOffset start) =>
        start.UtcDateTime.ToString(Range.Bucket == StatsBucketSize.Day ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Ms(long? ms) => ms is { } v ? PortalFormat.Duration(v) : "—";

    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>What the chart shows, in words, for its accessible description.</summary>
    public string Summary =>
        Total.Attempts == 0
            ? $"No attempts in the {Range.Description}."
            : $"{N(Total.Attempts)} attempts in the {Range.Description}: {N(Total.Delivered)} delivered, {N(Failed)} failed; " +
              $"p95 attempt duration {Ms(Total.Durations.Percentile(0.95))}.";

    /// <summary>1, 2 or 5 times a power of ten, at least the value and at least 4 (so the grid's quarters are whole).</summary>
    private static long NiceCeiling(long value)
    {
        long step = 1;
        while (true)
        {
            foreach (var m in new long[] { 1, 2, 5 })
            {
                var candidate = m * step * 4;
                if (candidate >= value)
                {
                    return candidate;
                }
            }
            step *= 10;
        }
    }

    private static string F(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);
}
