using System.Collections.Concurrent;

namespace Webhooks.Functions.Hosting;

/// <summary>
/// Work that outlives the request or message that started it (first attempts run after the job's message is done).
/// Tracked so that a graceful stop lets it finish; a hard stop loses nothing because a guard message covers it.
/// </summary>
internal sealed partial class BackgroundWork(ILogger<BackgroundWork> logger) : IHostedService
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<Task, bool> _running = new();

    public void Run(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var task = Task.Run(async () =>
        {
            try
            {
                await work();
            }
            catch (Exception e)
            {
                LogFailed(logger, e);
            }
        });
        _running[task] = true;
        task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
    }

    public int Running => _running.Count;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var all = Task.WhenAll(_running.Keys);
        await Task.WhenAny(all, Task.Delay(DrainTimeout, cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background work failed; its guard message will resume it")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
