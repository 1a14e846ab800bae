using Webhooks.Bench.Receiver;

namespace Webhooks.Bench.Worker;

/// <summary>What the orchestrator tells a worker process: where storage and the receiver are, and the scenario's sizes.</summary>
internal sealed record WorkerInput
{
    public required string Scenario { get; init; }
    public required string AzuriteConnection { get; init; }
    public required int[] AzuritePids { get; init; }
    public required int ReceiverPid { get; init; }
    public required ReceiverEndpoints Receiver { get; init; }

    /// <summary>Deliveries (and engine-ceiling instances) kept in flight.</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>Deliveries made before measuring, so JIT, connection pools, caches and partitions are warm.</summary>
    public int Warmup { get; init; } = 300;

    /// <summary>How long the throughput scenario measures the delivery path after its warm-up.</summary>
    public double ThroughputSeconds { get; init; } = 20;
    public double Rate { get; init; } = 20;
    public double LatencySeconds { get; init; } = 20;
    public int Backlog { get; init; } = 5_000;
    public double BacklogIdleSampleSeconds { get; init; } = 10;

    /// <summary>When building the backlog stops, whatever it reached, so that the run ends in time.</summary>
    public double BacklogBuildCapSeconds { get; init; } = 300;
    public int BatchItems { get; init; } = 2_000;
    public int CrawlPages { get; init; } = 500;
    public double LoadSeconds { get; init; } = 60;

    /// <summary>The engine-ceiling configurations to run, by name (Scenarios/Engine/EngineConfigs).</summary>
    public string[] EngineConfigs { get; init; } = [];

    /// <summary>How long each engine configuration runs its closed loop.</summary>
    public double EngineSeconds { get; init; } = 15;

    /// <summary>How many times the engine configurations run, interleaved (medians reported).</summary>
    public int EngineRounds { get; init; } = 1;

    /// <summary>Instances each engine configuration runs before measuring (JIT, connections, partitions taken).</summary>
    public int EngineWarmup { get; init; } = 128;

    /// <summary>Open-loop seconds at half each configuration's closed-loop rate, first round only (0: none).</summary>
    public double EngineLatencySeconds { get; init; } = 8;

    /// <summary>Hard bound on the scenario; the worker reports what it has when it is reached.</summary>
    public double BudgetSeconds { get; init; } = 300;
}
