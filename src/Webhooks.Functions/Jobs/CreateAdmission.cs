using Microsoft.Extensions.Options;

namespace Webhooks.Functions.Jobs;

/// <summary>The slots of <see cref="JobsOptions.MaxConcurrentCreates"/>, shared by every create route of this process.</summary>
internal sealed class CreateAdmission(IOptions<JobsOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentCreates);

    public TimeSpan QueueTimeout { get; } = options.Value.CreateQueueTimeout;

    /// <summary>A slot to release when done, or null when none came free in time.</summary>
    public async Task<IDisposable?> TryEnterAsync(CancellationToken cancellationToken) =>
        await _slots.WaitAsync(QueueTimeout, cancellationToken) ? new Slot(_slots) : null;

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
