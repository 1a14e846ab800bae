namespace Webhooks.Functions.Hosting;

/// <summary>
/// How long the storage set-up waits before its next try, by what the last try met. Storage that is down or slow is
/// waited for indefinitely (it comes back, and the process must not crash-loop meanwhile). A refusal (<c>401</c>/<c>403</c>)
/// is expected for a few minutes after a deployment, while the identity's role assignments propagate, and is retried as
/// quickly for <see cref="AuthorizationGrace"/>; after that it is a configuration error that is reported loudly and still
/// retried, slowly, so that a fixed role assignment heals the app without a restart.
/// </summary>
internal static class StorageStartupBackoff
{
    /// <summary>Role assignments take effect within minutes, "up to 10 minutes" in Azure's words.</summary>
    public static readonly TimeSpan AuthorizationGrace = TimeSpan.FromMinutes(15);

    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan AfterGrace = TimeSpan.FromMinutes(1);

    /// <param name="attempt">1 for the first failed try.</param>
    /// <param name="refusedFor">How long storage has been refusing the identity without a break; null when it did not refuse.</param>
    public static TimeSpan Next(int attempt, TimeSpan? refusedFor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        if (refusedFor >= AuthorizationGrace)
        {
            return AfterGrace;
        }
        var doubled = First.Ticks << Math.Min(attempt - 1, 16);
        return TimeSpan.FromTicks(Math.Min(doubled, Longest.Ticks));
    }

    /// <summary>Whether the refusal has outlasted the role-propagation grace and is now a configuration error.</summary>
    public static bool IsConfigurationError(TimeSpan refusedFor) => refusedFor >= AuthorizationGrace;
}
