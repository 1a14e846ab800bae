using System.ComponentModel.DataAnnotations;

namespace Webhooks.Functions.Hosting.Durable;

/// <summary>
/// The <c>Durable</c> section: the standalone app's Durable Task engine (in Azure, host.json's <c>durableTask</c>
/// section says the same things to the Functions host). Defaults keep a local delivery well under a second.
/// </summary>
internal sealed class DurableOptions
{
    /// <summary>The task hub: its tables, queues and leases are named after it. Default: <c>Storage:Prefix</c> + <c>webhooks</c>.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$", ErrorMessage = "Durable:TaskHub must be 3-45 letters or digits starting with a letter.")]
    public string? TaskHub { get; set; }

    /// <summary>Control queues: orchestrations are spread over them, and each is owned by one process at a time.</summary>
    [Range(1, 16)]
    public int PartitionCount { get; set; } = 4;

    /// <summary>The longest an idle engine waits between polls of a queue (it polls faster while there is work).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Keep an orchestration's history in memory between its steps, saving a history read per step.</summary>
    public bool ExtendedSessions { get; set; } = true;

    /// <summary>
    /// How long an extended session keeps an idle orchestration's history (and its work-item slot); the backend's
    /// default is 30 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ExtendedSessionIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Range(1, 1000)]
    public int MaxConcurrentActivities { get; set; } = 100;

    [Range(1, 1000)]
    public int MaxConcurrentOrchestrations { get; set; } = 100;

    /// <summary>
    /// How long a received control or work-item message stays hidden while it is worked on (the engine renews it for
    /// longer work). A process killed mid-work hides its messages this long: it is how soon another process, or the
    /// restarted one, takes that work up again. The backend's own default is 5 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan MessageVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a process's claim on a partition lasts unless renewed (renewed and looked for every third of it). When a
    /// process dies, the others take its partitions over after this long; the backend's default is 30 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "00:05:00")]
    public TimeSpan PartitionLeaseInterval { get; set; } = TimeSpan.FromSeconds(30);

    public string TaskHubFor(string storagePrefix) => string.IsNullOrEmpty(TaskHub) ? storagePrefix + "webhooks" : TaskHub;
}
