namespace Webhooks.Bench.Infrastructure;

/// <summary>
/// Samples a process's resident set every 100 ms (this process's, or another's read from outside it) and keeps the
/// largest value seen.
/// </summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private readonly int? _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _max;
    private long _last;

    public RssSampler(int? pid = null)
    {
        _pid = pid;
        _loop = Task.Run(LoopAsync);
    }

    public long MaxBytes => Interlocked.Read(ref _max);

    public long LastBytes => Interlocked.Read(ref _last);

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            do
            {
                var rss = _pid is { } pid ? ProcessMeter.Rss(pid) : ProcessMeter.OwnRss;
                Interlocked.Exchange(ref _last, rss);
                if (rss > Interlocked.Read(ref _max))
                {
                    Interlocked.Exchange(ref _max, rss);
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
