namespace Webhooks.Functions.Hosting;

/// <summary>
/// Whether the storage set-up of this process (tables, queues, containers, the dev team) has finished. The listener
/// opens before it does, so that a host waiting for the process to answer is answered at once; until then every
/// request that needs storage gets a <c>503</c> (<see cref="StorageReadyFilter"/>) and queue and timer work waits.
/// </summary>
internal sealed class StorageReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string _waitingFor = "storage set-up has not started yet";

    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>What the set-up is waiting for, in words a client may see (no secrets, no connection strings).</summary>
    public string WaitingFor => _waitingFor;

    public void Waiting(string reason) => _waitingFor = reason;

    public void SetReady() => _ready.TrySetResult();

    public Task WaitAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// For work the Functions host brings (a queue message, a timer tick): waits at most <paramref name="timeout"/>, then
    /// fails the invocation so that the host brings the message again later.
    /// </summary>
    public async Task EnsureReadyAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await WaitAsync(timeout, time, cancellationToken))
        {
            throw new StorageNotReadyException($"Storage is not set up yet: {WaitingFor}.");
        }
    }

    /// <summary>Waits at most <paramref name="timeout"/>; false when storage is still not ready then.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await _ready.Task.WaitAsync(timeout, time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
