using System.Threading.Channels;

namespace Webhooks.Functions.Storage;

/// <summary>
/// Turns many small storage writes into few: callers add an item and wait; a few flush loops each take every item
/// that is waiting (up to <c>maxBatch</c>) and write them with one call. Nothing is delayed on purpose: under light
/// load a batch is one item, under heavy load items pile up behind the write in flight and share the next one.
/// </summary>
internal sealed class CoalescingBatcher<TItem, TResult> : IAsyncDisposable
{
    private readonly Channel<(IReadOnlyList<TItem> Items, TaskCompletionSource<TResult> Done)> _channel =
        Channel.CreateUnbounded<(IReadOnlyList<TItem>, TaskCompletionSource<TResult>)>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<TResult>> _flush;
    private readonly int _maxBatch;
    private readonly Task[] _loops;
    private readonly CancellationTokenSource _stopping = new();

    public CoalescingBatcher(Func<IReadOnlyList<TItem>, CancellationToken, Task<TResult>> flush, int maxBatch, int concurrency)
    {
        _flush = flush;
        _maxBatch = maxBatch;
        _loops = Enumerable.Range(0, concurrency).Select(_ => Task.Run(FlushLoopAsync)).ToArray();
    }

    /// <summary>Completes with the result of the write that carried <paramref name="item"/>, or its exception.</summary>
    public Task<TResult> AddAsync(TItem item) => AddAllAsync([item]);

    /// <summary>
    /// Adds items that must travel in the same write (a flush loop never takes part of them), and completes with that
    /// write's result or its exception.
    /// </summary>
    public Task<TResult> AddAllAsync(IReadOnlyList<TItem> items)
    {
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_channel.Writer.TryWrite((items, done)))
        {
            done.SetException(new ObjectDisposedException(nameof(CoalescingBatcher<TItem, TResult>)));
        }
        return done.Task;
    }

    private async Task FlushLoopAsync()
    {
        var batch = new List<(IReadOnlyList<TItem> Items, TaskCompletionSource<TResult> Done)>();
        var items = new List<TItem>(_maxBatch);
        while (await _channel.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            items.Clear();
            while (items.Count < _maxBatch && _channel.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
                items.AddRange(entry.Items);
            }
            if (batch.Count == 0)
            {
                continue;
            }
            try
            {
                var result = await _flush(items.ToList(), _stopping.Token);
                foreach (var entry in batch)
                {
                    entry.Done.TrySetResult(result);
                }
            }
            catch (Exception e)
            {
                foreach (var entry in batch)
                {
                    entry.Done.TrySetException(e);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await Task.WhenAll(_loops);
        await _stopping.CancelAsync();
        _stopping.Dispose();
    }
}
