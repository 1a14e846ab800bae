using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// Bounds attempts in flight: per destination host (so a slow or hanging receiver holds only its own slots) and in
/// total. A waiter for a busy host does not hold a global slot, so healthy hosts keep moving.
/// </summary>
internal sealed class HostConcurrency(IOptions<DeliveryOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _global = new(options.Value.MaxConcurrentAttempts);
    private readonly int _perHost = options.Value.MaxConcurrentAttemptsPerHost;

    public async Task<IDisposable> AcquireAsync(Uri destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var host = _hosts.GetOrAdd(destination.Authority, _ => new SemaphoreSlim(_perHost));
        await host.WaitAsync(cancellationToken);
        try
        {
            await _global.WaitAsync(cancellationToken);
        }
        catch
        {
            host.Release();
            throw;
        }
        return new Slot(host, _global);
    }

    public void Dispose()
    {
        _global.Dispose();
        foreach (var semaphore in _hosts.Values)
        {
            semaphore.Dispose();
        }
    }

    private sealed class Slot(SemaphoreSlim host, SemaphoreSlim global) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                global.Release();
                host.Release();
            }
        }
    }
}
