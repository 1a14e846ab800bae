namespace Webhooks.Functions.Hosting;

/// <summary>Standalone mode's stand-in for the <c>sweeper</c> timer trigger.</summary>
internal sealed class SweeperTimer(Sweeper sweeper, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Sweeper.Interval, time);
        do
        {
            await sweeper.RunAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
