namespace Webhooks.Bench.Scenarios.Engine;

/// <summary>What the ceiling orchestration does after its first activity: its input.</summary>
internal static class CeilingWorkload
{
    /// <summary>One activity, then the orchestration completes: a delivery whose first attempt succeeds.</summary>
    public const string Complete = "complete";

    /// <summary>One activity, then a durable timer of an hour: a delivery waiting for its retry (the instance stays).</summary>
    public const string Wait = "wait";

    /// <summary>One activity, a one-second durable timer, a second activity, then completion: one retry's cost.</summary>
    public const string Retry = "retry";
}
