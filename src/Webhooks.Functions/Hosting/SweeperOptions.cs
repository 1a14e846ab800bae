namespace Webhooks.Functions.Hosting;

/// <summary>The <c>Sweeper</c> section.</summary>
internal sealed class SweeperOptions
{
    /// <summary>
    /// Whether Standalone mode runs its sweeper timer (at start, then every minute). Off, nothing re-arms lost timers,
    /// re-enqueues stalled jobs or repairs listing rows unless the sweeper is run by hand: for tests that count every
    /// storage operation of a window. The Functions host's timer trigger has its own schedule and ignores this.
    /// </summary>
    public bool Enabled { get; set; } = true;
}
