namespace Webhooks.Functions.Storage;

/// <summary>
/// One repair the <c>sweeper</c> runs every minute: a bounded scan of a feature's own rows. Here, beside the storage
/// pieces such scans use (<see cref="YieldingScan"/>), so that a feature declares its sweep without knowing the host.
/// </summary>
internal interface ISweepTask
{
    string Name { get; }

    Task SweepAsync(CancellationToken cancellationToken);
}
