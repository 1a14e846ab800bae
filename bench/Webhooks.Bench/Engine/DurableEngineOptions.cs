using System.ComponentModel.DataAnnotations;

namespace Webhooks.Bench.Engine;

/// <summary>
/// The few settings of the Durable Task Framework's Azure Storage backend that decide its cost and speed, with the
/// engine's own defaults. <see cref="DurableEngineSettings.Build"/> turns them into the backend's settings; the
/// engine-ceiling bench measured what each one changes (bench/results, README's bench section).
/// </summary>
public sealed record DurableEngineOptions
{
    /// <summary>Storage connection string (Azurite's, or an account's).</summary>
    [Required]
    public required string ConnectionString { get; init; }

    /// <summary>
    /// Names the task hub's tables (<c>{hub}History</c>, <c>{hub}Instances</c>, <c>{hub}Partitions</c>), queues
    /// (<c>{hub}-control-NN</c>, <c>{hub}-workitems</c>) and blob containers. 3 to 45 letters and digits, starting with
    /// a letter, as the backend requires.
    /// </summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    public required string TaskHubName { get; init; }

    /// <summary>
    /// Control queues, i.e. how many processes can share the orchestrations. Fixed once the task hub exists: a
    /// different value later is ignored by the backend (the partition table keeps the first).
    /// </summary>
    [Range(1, 16)]
    public int PartitionCount { get; init; } = 4;

    /// <summary>
    /// The longest wait between two receives on an empty queue (the backend backs off from 50 ms to this). It bounds
    /// how late an idle worker sees a message it did not send itself: a durable timer that comes due, or a start
    /// sent by another process.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan MaxQueuePollingInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Keeps an orchestration's history in memory between its episodes (for <see cref="ExtendedSessionIdleTimeout"/>),
    /// so that its next episode does not read the history table again.
    /// </summary>
    public bool ExtendedSessions { get; init; }

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ExtendedSessionIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Orchestration episodes run at once in this process.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentOrchestrations { get; init; } = 100;

    /// <summary>Activities run at once in this process; each one holds a slot until it returns.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentActivities { get; init; } = 10;

    /// <summary>Control-queue messages taken by one receive (the queue service's maximum is 32).</summary>
    [Range(1, 32)]
    public int ControlQueueBatchSize { get; init; } = 32;

    /// <summary>
    /// Skips the worker's Instances-table read per start message, which only guards against a start message whose
    /// client failed before writing the Instances row. A start is then run whatever the table says.
    /// </summary>
    public bool DisableExecutionStartedDeduplication { get; init; }

    /// <summary>Names this process in the partition table; default: machine name and process id.</summary>
    public string? WorkerId { get; init; }
}
