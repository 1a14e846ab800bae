using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// Bounds attempts in flight: per destination host (so a slow or hanging receiver holds only its own slots) and in
/// total. Nobody waits for a slot: an attempt whose host is at its limit is put off (see <see cref="TryAcquire"/>).
/// </summary>
internal sealed class HostConcurrency(IOptions<DeliveryOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _global = new(options.Value.MaxConcurrentAttempts);
    private readonly int _perHost = options.Value.MaxConcurrentAttemptsPerHost;

    /// <summary>
    /// A slot for <paramref name="destination"/> if one is free now, else null: an activity never waits here, so a few
    /// hanging receivers cannot hold the engine's activity slots while others wait behind them.
    /// </summary>
    public IDisposable? TryAcquire(Uri destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var host = _hosts.GetOrAdd(destination.Authority, _ => new SemaphoreSlim(_perHost));
        if (!host.Wait(0))
        {
            return null;
        }
        if (!_global.Wait(0))
        {
            host.Release();
            return null;
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
