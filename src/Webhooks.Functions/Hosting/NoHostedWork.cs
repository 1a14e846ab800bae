namespace Webhooks.Functions.Hosting;

/// <summary>
/// Takes the place of a poller or timer in the custom-handler mode, where the Functions host triggers the work, and of
/// the sweeper timer when <c>Sweeper:Enabled</c> is false.
/// </summary>
internal sealed class NoHostedWork : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
