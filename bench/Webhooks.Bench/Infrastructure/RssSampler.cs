namespace Webhooks.Bench.Infrastructure;

/// <summary>Samples this process's resident set every 100 ms and keeps the largest value seen.</summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _max;
    private long _last;

    public RssSampler()
    {
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
                var rss = ProcessMeter.OwnRss;
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
