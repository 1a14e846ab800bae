namespace Webhooks.Functions.Delivery;

/// <summary>The <c>Delivery</c> section (SPEC §6). Checked at start by <see cref="DeliveryOptionsValidator"/>.</summary>
internal sealed class DeliveryOptions
{
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public string DefaultPolicy { get; set; } = RetryPolicies.Standard;

    /// <summary>Policies by name, each a comma-separated list of delays such as <c>0s,1s,2s</c>; overrides the built-in ones.</summary>
    public Dictionary<string, string> Policies { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Each delay after the first is moved by up to ± this fraction.</summary>
    public double Jitter { get; set; } = 0.1;

    /// <summary>The longest a receiver's <c>Retry-After</c> may stretch the next delay.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Attempts in flight at once in this process.</summary>
    public int MaxConcurrentAttempts { get; set; } = 512;

    /// <summary>Attempts in flight at once to one host, so that one slow receiver cannot hold every slot.</summary>
    public int MaxConcurrentAttemptsPerHost { get; set; } = 64;

    /// <summary>
    /// How long a delivery may stay pending with no attempt made before the sweeper makes sure its orchestration was
    /// started (<see cref="StalledDeliverySweep"/>): the time a crash between a completion's commit and its start costs.
    /// </summary>
    public TimeSpan UnstartedGrace { get; set; } = TimeSpan.FromMinutes(2);
}
