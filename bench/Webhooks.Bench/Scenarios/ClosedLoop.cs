using Webhooks.Bench.Infrastructure;

namespace Webhooks.Bench.Scenarios;

/// <summary>Runs an operation with N concurrent loops: a warm-up, then a measured window of fixed length.</summary>
internal static class ClosedLoop
{
    /// <returns>Operations completed in the measured window and its length in seconds.</returns>
    public static async Task<(long Completed, double Seconds)> RunAsync(
        int concurrency, TimeSpan warmup, TimeSpan measured, Func<CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        long completed = 0;
        var measuring = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                await operation(stop.Token);
                if (Volatile.Read(ref measuring) == 1)
                {
                    Interlocked.Increment(ref completed);
                }
            }
        }).ToList();
        await Task.Delay(warmup, cancellationToken);
        Interlocked.Exchange(ref measuring, 1);
        var started = Clock.Now;
        await Task.Delay(measured, cancellationToken);
        var count = Interlocked.Read(ref completed);
        var seconds = Clock.SecondsSince(started);
        await stop.CancelAsync();
        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException)
        {
            // Loops stopped mid-operation.
        }
        return (count, seconds);
    }
}
