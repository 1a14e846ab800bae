using System.Globalization;
using Webhooks.Bench.Scenarios;

namespace Webhooks.Bench;

/// <summary>The command line of <c>./build.sh bench</c>.</summary>
internal sealed record BenchOptions
{
    public static readonly string[] AllScenarios =
        // The anchors run last: their storage-cost probes leave a large partition and a crowded queue behind, which slowed
        // whatever ran after them on the same Azurite.
        [ThroughputScenario.Name, LatencyScenario.Name, LatencyScenario.IsolationName, JobsScenario.Name, ApiLoadScenario.Name,
         BacklogScenario.Name, AnchorsScenario.Name];

    public bool Quick { get; init; }
    public IReadOnlyList<string> Scenarios { get; init; } = AllScenarios;
    public int Concurrency { get; init; } = 64;
    public int Endpoints { get; init; } = 20;
    public int Warmup { get; init; } = 300;
    public int Events { get; init; } = 20_000;
    public double AnchorSeconds { get; init; } = 6;
    public double? Rate { get; init; }
    public double LatencySeconds { get; init; } = 12;
    /// <summary>
    /// 100,000 waiting retries, as the target names. Building them runs at about the delivery rate (~400/s here), so
    /// the build alone takes ~4 minutes; the drain is measured over <see cref="BacklogDrainSeconds"/> once the retries
    /// come due, not to the last one, so that the whole run stays within 10 minutes.
    /// </summary>
    public int Backlog { get; init; } = 100_000;
    public double BacklogDrainSeconds { get; init; } = 40;
    public double BacklogIdleSeconds { get; init; } = 10;
    public int BatchItems { get; init; } = 2_000;
    public int CrawlPages { get; init; } = 500;
    public double LoadSeconds { get; init; } = 60;

    public const string Usage = """
        usage: ./build.sh bench [--quick] [--only <scenario>[,<scenario>...]] [--events N] [--backlog N]
                                [--concurrency N] [--rate R] [--seconds S] [--anchor-seconds S]
          scenarios: throughput, latency, isolation, jobs, api-load, backlog, anchors (default: all, in that order)
          --load-seconds  how long the api-load scenario's 64 clients create jobs (default 60)
          --backlog  deliveries waiting for their retry in the backlog scenario (default 100000)
          --quick    small sizes for a smoke test (under a minute)
          --rate     open-loop rate of the latency scenarios (default: half of the throughput scenario's deliveries/s)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var options = quick
            ? new BenchOptions
            {
                Quick = true, Warmup = 100, Events = 1_000, AnchorSeconds = 3, LatencySeconds = 5, Backlog = 2_000,
                BacklogIdleSeconds = 5, BacklogDrainSeconds = 20, BatchItems = 100, CrawlPages = 50, LoadSeconds = 5,
            }
            : new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            int Int() => int.Parse(Value(), CultureInfo.InvariantCulture);
            double Double() => double.Parse(Value(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--quick" => options,
                "--only" => options with { Scenarios = ParseScenarios(Value()) },
                "--events" => options with { Events = Int() },
                "--backlog" => options with { Backlog = Int() },
                "--load-seconds" => options with { LoadSeconds = Double() },
                "--concurrency" => options with { Concurrency = Int() },
                "--rate" => options with { Rate = Double() },
                "--seconds" => options with { LatencySeconds = Double() },
                "--anchor-seconds" => options with { AnchorSeconds = Double() },
                "--help" or "-h" => throw new ArgumentException(Usage),
                _ => throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}"),
            };
        }
        return options;
    }

    private static string[] ParseScenarios(string value)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Except(AllScenarios, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown scenario {string.Join(", ", unknown)}.\n{Usage}");
        }
        return AllScenarios.Where(names.Contains).ToArray();
    }
}
