namespace Webhooks.Functions.Hosting;

/// <summary>One repair the <c>sweeper</c> timer function runs every minute.</summary>
internal interface ISweepTask
{
    string Name { get; }

    Task SweepAsync(CancellationToken cancellationToken);
}
