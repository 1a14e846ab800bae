namespace Webhooks.Functions.Hosting;

/// <summary>The standalone app's stand-in for the <c>sweeper</c> timer trigger; its first tick waits for storage.</summary>
internal sealed class SweeperTimer(Sweeper sweeper, StorageReadiness readiness, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Sweeper.Interval, time);
        try
        {
            await readiness.WaitAsync(stoppingToken);
            do
            {
                await sweeper.RunAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a sweep cut short runs again at the next start; it is not a failure of the host.
        }
    }
}
