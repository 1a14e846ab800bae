namespace Webhooks.Functions.Hosting;

/// <summary>Standalone mode's stand-in for the <c>sweeper</c> timer trigger.</summary>
internal sealed class SweeperTimer(Sweeper sweeper, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Sweeper.Interval, time);
        try
        {
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
