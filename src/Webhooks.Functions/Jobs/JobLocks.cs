namespace Webhooks.Functions.Jobs;

/// <summary>
/// One async lock per job id in this process. Chunks of one batch settle into the same batch row; taking turns here
/// turns what would be a storm of ETag conflicts (each costing a reload and a retry) into a queue. Workers in other
/// processes are still kept apart by the ETags.
/// </summary>
internal sealed class JobLocks
{
    private readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> _locks = new(StringComparer.Ordinal);

    public async Task<IDisposable> AcquireAsync(string jobId, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate;
        lock (_locks)
        {
            var entry = _locks.TryGetValue(jobId, out var existing) ? existing : (Gate: new SemaphoreSlim(1, 1), Users: 0);
            _locks[jobId] = (entry.Gate, entry.Users + 1);
            gate = entry.Gate;
        }
        try
        {
            await gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(jobId);
            throw;
        }
        return new Releaser(this, jobId, gate);
    }

    private void Leave(string jobId)
    {
        lock (_locks)
        {
            var (gate, users) = _locks[jobId];
            if (users == 1)
            {
                _locks.Remove(jobId);
                gate.Dispose();
            }
            else
            {
                _locks[jobId] = (gate, users - 1);
            }
        }
    }

    private sealed class Releaser(JobLocks owner, string jobId, SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
                owner.Leave(jobId);
            }
        }
    }
}
