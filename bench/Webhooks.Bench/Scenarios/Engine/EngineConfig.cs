using DurableTask.AzureStorage;
using Webhooks.Bench.Engine;
using Webhooks.Functions.Hosting.Durable;

namespace Webhooks.Bench.Scenarios.Engine;

/// <summary>One configuration of the engine-ceiling scenario: engine options, backend settings beyond them, how instances are started and what they do.</summary>
internal sealed record EngineConfig(string Name, string What)
{
    /// <summary>The product's engine options this configuration runs on (default: the backend's own defaults).</summary>
    public Func<DurableOptions> Options { get; init; } = EngineSettings.BackendDefaults;

    /// <summary>Backend settings that <see cref="DurableOptions"/> does not carry.</summary>
    public Action<AzureStorageOrchestrationServiceSettings>? Tune { get; init; }

    /// <summary>Starts pass dedupeStatuses (Running, Pending, Completed, …), as a product that must never restart a delivery would.</summary>
    public bool DedupeStatuses { get; init; }

    /// <summary>
    /// Starts are sent as a bare ExecutionStarted message to the instance's control queue (one queue send) instead of
    /// TaskHubClient.CreateOrchestrationInstanceAsync (Instances read + queue send + Instances insert). Only works
    /// with <see cref="AzureStorageOrchestrationServiceSettings.DisableExecutionStartedDeduplication"/>: otherwise the worker defers a
    /// start it finds no Instances row for, ten times, then drops it.
    /// </summary>
    public bool StartWithMessage { get; init; }

    /// <summary>The worker reads the Instances row of each start message (the backend's default; off where starts are messages).</summary>
    public bool StartDeduplicationRead { get; init; } = true;

    public string Workload { get; init; } = CeilingWorkload.Complete;

    /// <summary>Seconds of open-loop starts at half this configuration's closed-loop rate, for latency (0: none).</summary>
    public double LatencySeconds { get; init; }

    /// <summary>Seconds of an idle sample after the load, for the polling cost of an idle worker (0: none).</summary>
    public double IdleSeconds { get; init; }
}
