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

    /// <summary>Concurrent raisers (and the anchors' concurrency).</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>Events raised closed-loop before measuring, so JIT, connection pools and caches are warm.</summary>
    public int Warmup { get; init; } = 300;

    public int Events { get; init; } = 20_000;

    /// <summary>Raising stops after this long even if fewer events were raised (the report says so).</summary>
    public double RaiseCapSeconds { get; init; } = 150;
    public double AnchorSeconds { get; init; } = 10;
    public double Rate { get; init; } = 150;
    public double LatencySeconds { get; init; } = 20;
    public int Backlog { get; init; } = 10_000;
    public double BacklogRetryDelaySeconds { get; init; } = 600;
    public double BacklogIdleSampleSeconds { get; init; } = 10;

    /// <summary>How long the drain is measured once the first retry arrives (it stops earlier when all are in).</summary>
    public double BacklogDrainSeconds { get; init; } = 40;

    /// <summary>When building must stop, whatever it reached, so the retries do not come due during the idle sample.</summary>
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
