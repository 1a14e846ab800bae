using System.Globalization;
using Webhooks.Bench.Scenarios;
using Webhooks.Bench.Scenarios.Engine;
using EngineCatalog = Webhooks.Bench.Scenarios.Engine.EngineConfigs;

namespace Webhooks.Bench;

/// <summary>The command line of <c>./build.sh bench</c>.</summary>
internal sealed record BenchOptions
{
    public static readonly string[] AllScenarios =
        // The anchors run last: their storage-cost probes leave a large partition and a crowded queue behind, which slowed
        // whatever ran after them on the same Azurite.
        [ThroughputScenario.Name, LatencyScenario.Name, LatencyScenario.IsolationName, JobsScenario.Name, ApiLoadScenario.Name,
         BacklogScenario.Name, EngineScenario.Name, AnchorsScenario.Name];

    /// <summary>Scenarios that run only when named with --only.</summary>
    public static readonly string[] OptionalScenarios = [EngineBehaviourScenario.Name];

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
    public IReadOnlyList<string> EngineConfigs { get; init; } = EngineCatalog.Standard;
    /// <summary>Short, so that the whole run stays within 10 minutes; the configuration sweep takes longer windows.</summary>
    public double EngineSeconds { get; init; } = 8;
    public int EngineWarmup { get; init; } = 64;
    public double EngineLatencySeconds { get; init; } = 6;
    public int EngineRounds { get; init; } = 1;

    public const string Usage = """
        usage: ./build.sh bench [--quick] [--only <scenario>[,<scenario>...]] [--events N] [--backlog N]
                                [--concurrency N] [--rate R] [--seconds S] [--anchor-seconds S]
                                [--engine-configs all|<name>,...] [--engine-seconds S] [--engine-latency-seconds S] [--engine-rounds N]
          scenarios: throughput, latency, isolation, jobs, api-load, backlog, engine, anchors (default: all, in that order);
                     engine-behaviour only with --only (start twice, idle polling, failover across two processes; ~5 min)
          --load-seconds  how long the api-load scenario's 64 clients create jobs (default 60)
          --backlog  deliveries waiting for their retry in the backlog scenario (default 100000)
          --quick    small sizes for a smoke test (under a minute)
          --rate     open-loop rate of the latency scenarios (default: half of the throughput scenario's deliveries/s)
          --engine-configs  the engine scenario's configurations (default: defaults,recommended; "all" for every one,
                     e.g. ./build.sh bench --only engine --engine-configs all)
          --engine-seconds  how long each engine configuration keeps --concurrency instances in flight (default 8)
          --engine-latency-seconds  open loop at half each configuration's rate, first round only (default 6; 0: none)
          --engine-rounds  runs the engine configurations N times, interleaved, and reports medians (default 1)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var options = quick
            ? new BenchOptions
            {
                Quick = true, Warmup = 100, Events = 1_000, AnchorSeconds = 3, LatencySeconds = 5, Backlog = 2_000,
                BacklogIdleSeconds = 5, BacklogDrainSeconds = 20, BatchItems = 100, CrawlPages = 50, LoadSeconds = 5,
                EngineSeconds = 4, EngineWarmup = 64, EngineLatencySeconds = 3,
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
                "--engine-configs" => options with { EngineConfigs = ParseEngineConfigs(Value()) },
                "--engine-seconds" => options with { EngineSeconds = Double() },
                "--engine-latency-seconds" => options with { EngineLatencySeconds = Double() },
                "--engine-rounds" => options with { EngineRounds = Int() },
                "--help" or "-h" => throw new ArgumentException(Usage),
                _ => throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}"),
            };
        }
        return options;
    }

    private static string[] ParseEngineConfigs(string value)
    {
        if (value == "all")
        {
            return [.. EngineCatalog.All.Select(c => c.Name)];
        }
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => EngineCatalog.All.All(c => c.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown engine configuration {string.Join(", ", unknown)}; known: " +
                string.Join(", ", EngineCatalog.All.Select(c => c.Name)));
        }
        return names;
    }

    private static string[] ParseScenarios(string value)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Except(AllScenarios.Concat(OptionalScenarios), StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown scenario {string.Join(", ", unknown)}.\n{Usage}");
        }
        return [.. AllScenarios.Concat(OptionalScenarios).Where(names.Contains)];
    }
}
