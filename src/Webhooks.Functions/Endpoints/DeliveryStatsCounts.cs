using System.Globalization;
using Azure.Data.Tables;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// The delivery stats of one scope (the team, or one endpoint) over one span (SPEC §14): attempts, deliveries,
/// failures by <see cref="AttemptClass"/>, and the histograms of attempt duration and raise → first 2xx. Counts of
/// several instances and hours add up; the stats row (table <c>stats</c>) is built and read here only.
/// </summary>
internal sealed class DeliveryStatsCounts
{
    /// <summary>The scope of the team-wide rows, every delivery included (endpoints, job webhooks, default URLs).</summary>
    public const string TeamScope = "team";

    private readonly Dictionary<string, long> _failed = AttemptClass.Failures.ToDictionary(c => c, _ => 0L, StringComparer.Ordinal);

    public long Attempts { get; private set; }
    public long Delivered { get; private set; }
    public IReadOnlyDictionary<string, long> Failed => _failed;
    public DeliveryHistogram Durations { get; } = new(DeliveryHistogram.DurationBoundsMs);
    public DeliveryHistogram Latencies { get; } = new(DeliveryHistogram.LatencyBoundsMs);

    /// <summary>One attempt; <paramref name="latency"/> is raise → this 2xx for the attempt that delivered.</summary>
    public void Add(AttemptResult result, TimeSpan? latency)
    {
        ArgumentNullException.ThrowIfNull(result);
        Attempts++;
        var attemptClass = AttemptClass.Of(result);
        if (attemptClass == AttemptClass.Delivered)
        {
            Delivered++;
            if (latency is { } l)
            {
                Latencies.Add(Math.Max(0, l.TotalMilliseconds));
            }
        }
        else
        {
            _failed[attemptClass]++;
        }
        Durations.Add(result.Duration.TotalMilliseconds);
    }

    public void Add(DeliveryStatsCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Attempts += other.Attempts;
        Delivered += other.Delivered;
        foreach (var (key, value) in other._failed)
        {
            _failed[key] += value;
        }
        Durations.Add(other.Durations);
        Latencies.Add(other.Latencies);
    }

    public void Clear()
    {
        Attempts = Delivered = 0;
        foreach (var key in AttemptClass.Failures)
        {
            _failed[key] = 0;
        }
        Durations.Clear();
        Latencies.Clear();
    }

    public DeliveryStatsCounts Copy()
    {
        var copy = new DeliveryStatsCounts();
        copy.Add(this);
        return copy;
    }

    /// <summary>
    /// The row of one instance's running totals for <paramref name="scope"/> in the hour starting at
    /// <paramref name="hour"/>: partition = team, row = <c>scope_hourTicks_instance</c>, so that one range query reads a
    /// scope's hours in order and instances never write each other's rows.
    /// </summary>
    public TableEntity ToRow(string teamId, string scope, DateTimeOffset hour, string instance)
    {
        var row = new TableEntity(teamId, RowKey(scope, hour, instance))
        {
            ["Scope"] = scope,
            ["Hour"] = hour,
            ["Attempts"] = Attempts,
            ["Delivered"] = Delivered,
            ["Durations"] = Durations.ToString(),
            ["Latencies"] = Latencies.ToString(),
        };
        foreach (var (key, value) in _failed)
        {
            row[FailedProperty(key)] = value;
        }
        return row;
    }

    /// <summary>Adds a row written by <see cref="ToRow"/>.</summary>
    public void AddRow(TableEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        Attempts += row.GetInt64("Attempts") ?? 0;
        Delivered += row.GetInt64("Delivered") ?? 0;
        foreach (var key in AttemptClass.Failures)
        {
            _failed[key] += row.GetInt64(FailedProperty(key)) ?? 0;
        }
        Durations.AddStored(row.GetString("Durations"));
        Latencies.AddStored(row.GetString("Latencies"));
    }

    /// <summary>The hour a row counts (from its key: every row of a scope's range query has one).</summary>
    public static DateTimeOffset HourOf(TableEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.GetDateTimeOffset("Hour") ?? DateTimeOffset.MinValue;
    }

    /// <summary>The first row key of <paramref name="scope"/> at or after <paramref name="hour"/>, for range queries.</summary>
    public static string RowKey(string scope, DateTimeOffset hour, string instance = "") =>
        string.Create(CultureInfo.InvariantCulture, $"{scope}_{hour.UtcTicks:D19}_{instance}");

    private static string FailedProperty(string attemptClass) => attemptClass switch
    {
        AttemptClass.Redirect => "Failed3xx",
        AttemptClass.ClientError => "Failed4xx",
        AttemptClass.ServerError => "Failed5xx",
        AttemptClass.Timeout => "FailedTimeout",
        _ => "FailedConnection",
    };
}
