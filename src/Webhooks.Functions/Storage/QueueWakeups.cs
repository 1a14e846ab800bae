namespace Webhooks.Functions.Storage;

/// <summary>
/// Lets an idle queue poller (<c>Hosting/QueuePoller</c>) sleep long and still be on time: code that puts a message on a queue says
/// when it becomes visible (now for new work, the due time for a timer), and the poller of that queue wakes then.
/// Messages sent by other processes are found by the idle poll alone, a few seconds late at worst.
/// </summary>
internal sealed class QueueWakeups
{
    /// <summary>Enough to be exact for the timers a process arms; beyond it, later ones wait for the idle poll.</summary>
    private const int MaxRemembered = 1024;

    private readonly Dictionary<string, Queue> _queues = new(StringComparer.Ordinal);

    public void Notify(string queueName, DateTimeOffset visibleAt) => For(queueName).Notify(visibleAt);

    /// <summary>Waits until <paramref name="deadline"/>, or earlier when a message becomes visible before it.</summary>
    public Task WaitAsync(string queueName, DateTimeOffset deadline, TimeProvider time, CancellationToken cancellationToken) =>
        For(queueName).WaitAsync(deadline, time, cancellationToken);

    private Queue For(string queueName)
    {
        lock (_queues)
        {
            if (!_queues.TryGetValue(queueName, out var queue))
            {
                _queues[queueName] = queue = new Queue();
            }
            return queue;
        }
    }

    private sealed class Queue
    {
        private readonly SortedSet<DateTimeOffset> _wakeAt = [];
        private TaskCompletionSource _earlier = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private DateTimeOffset _sleepingUntil = DateTimeOffset.MaxValue;

        public void Notify(DateTimeOffset visibleAt)
        {
            lock (_wakeAt)
            {
                _wakeAt.Add(visibleAt);
                if (_wakeAt.Count > MaxRemembered)
                {
                    _wakeAt.Remove(_wakeAt.Max);
                }
                if (visibleAt < _sleepingUntil)
                {
                    _earlier.TrySetResult();
                }
            }
        }

        public async Task WaitAsync(DateTimeOffset deadline, TimeProvider time, CancellationToken cancellationToken)
        {
            Task earlier;
            var now = time.GetUtcNow();
            lock (_wakeAt)
            {
                _wakeAt.RemoveWhere(t => t <= now);
                if (_wakeAt.Count > 0 && _wakeAt.Min < deadline)
                {
                    deadline = _wakeAt.Min;
                }
                _sleepingUntil = deadline;
                _earlier = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                earlier = _earlier.Task;
            }
            var sleep = deadline - now;
            if (sleep > TimeSpan.Zero)
            {
                await Task.WhenAny(Task.Delay(sleep, time, cancellationToken), earlier);
                cancellationToken.ThrowIfCancellationRequested();
            }
            lock (_wakeAt)
            {
                _sleepingUntil = DateTimeOffset.MaxValue;
            }
        }
    }
}
