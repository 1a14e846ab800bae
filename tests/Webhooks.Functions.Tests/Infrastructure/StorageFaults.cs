namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// What a <see cref="StorageFaultProxy"/> does to the requests it relays, each share drawn per request from its seeded
/// random. At most one disruptive fault (throttle, reset, hold) per request, and at most <see cref="Budget"/> of them in
/// all, so that a run is bounded whatever the app does; latency comes on top and is not counted against the budget.
/// </summary>
public sealed record StorageFaults
{
    /// <summary>No fault: every request is relayed as it is.</summary>
    public static readonly StorageFaults None = new();

    /// <summary>Share of requests delayed by <see cref="Latency"/> ± <see cref="LatencySpread"/> (uniform).</summary>
    public double LatencyShare { get; init; }

    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan LatencySpread { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Share of requests answered <c>503 ServerBusy</c> without reaching storage (Azure's throttling answer).</summary>
    public double ThrottleShare { get; init; }

    /// <summary>Share of requests cut mid-request: half of the request's bytes reach storage, then both connections reset. Storage commits nothing.</summary>
    public double ResetRequestShare { get; init; }

    /// <summary>Share of requests cut mid-response: storage gets the whole request and commits it; the client gets half the answer, then a reset.</summary>
    public double ResetResponseShare { get; init; }

    /// <summary>
    /// Share of requests whose answer is held for <see cref="Hold"/> (longer than the client's timeout) and delivered
    /// then: storage committed the request long before the client gave up on it and retried.
    /// </summary>
    public double HoldShare { get; init; }

    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>Most disruptive faults (throttle, resets, holds) this plan injects; then it relays everything untouched but for latency.</summary>
    public int Budget { get; init; } = int.MaxValue;

    /// <summary>Which requests may be faulted (method, path and query); null: all of them.</summary>
    public Func<string, string, bool>? Applies { get; init; }
}
