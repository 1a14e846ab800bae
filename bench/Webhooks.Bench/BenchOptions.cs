using System.Globalization;
using Webhooks.Bench.Scenarios;
using Webhooks.Bench.Scenarios.Engine;
using EngineCatalog = Webhooks.Bench.Scenarios.Engine.EngineConfigs;

namespace Webhooks.Bench;

/// <summary>The command line of <c>./build.sh bench</c>.</summary>
internal sealed record BenchOptions
{
    /// <summary>
    /// What <c>./build.sh bench</c> runs, in this order: throughput first (the latency scenarios run at half its rate),
    /// the backlog last of the original scenarios (it takes the time that is left), then the endpoint costs of SPEC §13/§14.
    /// </summary>
    public static readonly string[] AllScenarios =
        [ThroughputScenario.Name, FanOutScenario.Name, LatencyScenario.Name, LatencyScenario.IsolationName, JobsScenario.Name, ApiLoadScenario.Name, BacklogScenario.Name,
            EndpointCostsScenario.Name];

    /// <summary>Scenarios that run only when named with --only: the engine's own configurations and behaviour.</summary>
    public static readonly string[] OptionalScenarios = [EngineScenario.Name, EngineBehaviourScenario.Name];

    public bool Quick { get; init; }
    public IReadOnlyList<string> Scenarios { get; init; } = AllScenarios;
    public int Concurrency { get; init; } = 64;
    public int Endpoints { get; init; } = 20;
    public int Warmup { get; init; } = 300;
    public double ThroughputSeconds { get; init; } = 20;
    public double? Rate { get; init; }
    public double LatencySeconds { get; init; } = 12;

    /// <summary>
    /// Deliveries waiting on durable timers. Building them runs at about the delivery rate, so the default is what fits
    /// in a 10-minute run on a quiet 2-core machine; building also stops when the run's time is up (<see cref="RunSeconds"/>)
    /// unless --backlog was given, in which case it may take as long as N needs.
    /// </summary>
    public int Backlog { get; init; } = 5_000;
    public bool BacklogGiven { get; init; }

    /// <summary>The backlog on Azurite's queue service as installed, without <c>QueueStoreFix</c> (to see what it costs).</summary>
    public bool StockAzurite { get; init; }
    public double BacklogIdleSeconds { get; init; } = 10;
    public int BatchItems { get; init; } = 2_000;
    public int CrawlPages { get; init; } = 500;
    public double LoadSeconds { get; init; } = 30;

    /// <summary>The whole run's time, the build before it not counted: the backlog's build stops when it would run over.</summary>
    public double RunSeconds { get; init; } = 540;
    public IReadOnlyList<string> EngineConfigs { get; init; } = EngineCatalog.Standard;
    /// <summary>How long the engine ceiling keeps --concurrency instances in flight (throughput and engine scenarios).</summary>
    public double EngineSeconds { get; init; } = 10;
    public int EngineWarmup { get; init; } = 64;
    public double EngineLatencySeconds { get; init; } = 6;
    public int EngineRounds { get; init; } = 1;

    public const string Usage = """
        usage: ./build.sh bench [--quick] [--only <scenario>[,<scenario>...]] [--backlog N] [--stock-azurite] [--concurrency N] [--rate R]
                                [--throughput-seconds S] [--seconds S] [--load-seconds S] [--run-seconds S]
                                [--engine-configs all|<name>,...] [--engine-seconds S] [--engine-latency-seconds S] [--engine-rounds N]
          scenarios: throughput, fanout, latency, isolation, jobs, api-load, backlog, endpoint-costs (default: all, in that order);
                     only with --only: engine (the bare engine's configurations), engine-behaviour (start twice, idle
                     polling, failover across two processes; ~5 min)
          --throughput-seconds  how long the throughput scenario measures the delivery path (default 20)
          --seconds  how long the latency and isolation scenarios raise events (default 12)
          --rate     their open-loop rate (default: half of the throughput scenario's deliveries/s)
          --load-seconds  how long the api-load scenario's 64 clients create jobs (default 30)
          --backlog  deliveries to leave waiting on durable timers (default 5000, building stops when the run's time
                     is up; given explicitly, building takes as long as N needs)
          --stock-azurite  the backlog on Azurite's queue service as installed: without the bench's fix, each of its
                     operations sorts every message it holds (Infrastructure/QueueStoreFix.cs)
          --run-seconds  the run's time, for the backlog's build (default 540)
          --quick    small sizes for a smoke test (a few minutes)
          --engine-configs  the engine scenario's configurations (default: product,defaults,recommended; "all" for every
                     one, e.g. ./build.sh bench --only engine --engine-configs all)
          --engine-seconds  how long the engine ceiling keeps --concurrency instances in flight (default 10)
          --engine-latency-seconds  engine scenario: open loop at half each configuration's rate, first round only (default 6; 0: none)
          --engine-rounds  engine scenario: runs the configurations N times, interleaved, and reports medians (default 1)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var options = quick
            ? new BenchOptions
            {
                Quick = true, Warmup = 64, ThroughputSeconds = 5, LatencySeconds = 4, Backlog = 300, BacklogIdleSeconds = 5,
                BatchItems = 100, CrawlPages = 50, LoadSeconds = 5, EngineSeconds = 4, EngineWarmup = 32, EngineLatencySeconds = 3,
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
                "--throughput-seconds" => options with { ThroughputSeconds = Double() },
                "--backlog" => options with { Backlog = Int(), BacklogGiven = true },
                "--stock-azurite" => options with { StockAzurite = true },
                "--run-seconds" => options with { RunSeconds = Double() },
                "--load-seconds" => options with { LoadSeconds = Double() },
                "--concurrency" => options with { Concurrency = Int() },
                "--rate" => options with { Rate = Double() },
                "--seconds" => options with { LatencySeconds = Double() },
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
