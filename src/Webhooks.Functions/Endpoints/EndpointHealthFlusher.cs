using Microsoft.Extensions.Options;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// The standalone host's writer of health counts that no later attempt flushed (an endpoint that went quiet), and of
/// everything left at stop. In the Functions worker the attempt activity flushes them as it counts.
/// </summary>
internal sealed partial class EndpointHealthFlusher(EndpointHealth health, IOptions<EndpointOptions> options, TimeProvider time, ILogger<EndpointHealthFlusher> logger)
    : BackgroundService
{
    private static readonly TimeSpan MinimumPeriod = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = options.Value.HealthFlushInterval > MinimumPeriod ? options.Value.HealthFlushInterval : MinimumPeriod;
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await health.FlushAllAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFlushFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Endpoint health counts could not be written; they are tried again at the next flush")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
