using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Hosting;

/// <summary>
/// The standalone app's stand-in for the Functions host's queue triggers: one <see cref="QueuePoller"/> per registered
/// <see cref="IQueueHandler"/>, started once storage is ready.
/// </summary>
internal sealed class QueuePollers(IServiceProvider services, IEnumerable<IQueueHandler> handlers, StorageReadiness readiness) : BackgroundService
{
    private readonly List<QueuePoller> _pollers = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await readiness.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        foreach (var handler in handlers)
        {
            var poller = ActivatorUtilities.CreateInstance<QueuePoller>(services, handler);
            _pollers.Add(poller);
            await poller.StartAsync(stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(_pollers.Select(p => p.StopAsync(cancellationToken)));
    }

    public override void Dispose()
    {
        foreach (var poller in _pollers)
        {
            poller.Dispose();
        }
        base.Dispose();
    }
}
