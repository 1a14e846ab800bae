using System.ComponentModel.DataAnnotations;

namespace Webhooks.Functions.Jobs;

/// <summary>The <c>Jobs</c> section: how batch items and crawl pages are fetched.</summary>
internal sealed class JobsOptions
{
    /// <summary>Per fetch, redirects included (SPEC §3: 30 s). Tests shorten it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Bodies beyond this are truncated (SPEC §3: 5 MiB).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Fetches in flight in this process across all jobs; bounds memory, as each may hold a body.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentFetches { get; set; } = 64;

    /// <summary>
    /// Create calls writing to storage at once in this process. Beyond it a call waits up to
    /// <see cref="CreateQueueTimeout"/> for its turn, then gets a 429: under overload the API answers fast and says
    /// when to come back, instead of piling writes onto storage until they time out as 5xx.
    /// </summary>
    [Range(1, 1024)]
    public int MaxConcurrentCreates { get; set; } = 16;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan CreateQueueTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A job in progress with no settled item or page for this long gets its work re-enqueued.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
