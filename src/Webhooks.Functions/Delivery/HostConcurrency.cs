using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// Bounds attempts in flight: per destination host (so a slow or hanging receiver holds only its own slots) and in
/// total. Nobody waits for a slot: an attempt whose host is at its limit is put off (see <see cref="TryAcquire"/>).
/// <para>
/// The per-host limit slows down for a struggling receiver (SPEC §13): a <c>429</c>, <c>502</c>, <c>503</c> or
/// <c>504</c> halves it, down to one; each success raises it by one, up to
/// <see cref="DeliveryOptions.MaxConcurrentAttemptsPerHost"/>. It is held by this process only.
/// </para>
/// </summary>
internal sealed class HostConcurrency(IOptions<DeliveryOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, HostLimit> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _global = new(options.Value.MaxConcurrentAttempts);
    private readonly int _perHost = options.Value.MaxConcurrentAttemptsPerHost;

    /// <summary>
    /// A slot for <paramref name="destination"/> if one is free now, else null: an activity never waits here, so a few
    /// hanging receivers cannot hold the engine's activity slots while others wait behind them.
    /// </summary>
    public IDisposable? TryAcquire(Uri destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var host = Host(destination);
        if (!host.TryEnter())
        {
            return null;
        }
        if (!_global.Wait(0))
        {
            host.Exit();
            return null;
        }
        return new Slot(host, _global);
    }

    /// <summary>Adjusts the limit of <paramref name="destination"/>'s host to what its answer says of it.</summary>
    public void Record(Uri destination, AttemptResult result)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(result);
        if (result.StatusCode is 429 or 502 or 503 or 504)
        {
            Host(destination).SlowDown();
        }
        else if (result.IsDelivered)
        {
            Host(destination).SpeedUp();
        }
    }

    /// <summary>The attempts now allowed in flight to <paramref name="destination"/>'s host.</summary>
    public int LimitOf(Uri destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return Host(destination).Limit;
    }

    private HostLimit Host(Uri destination) => _hosts.GetOrAdd(destination.Authority, _ => new HostLimit(_perHost));

    public void Dispose() => _global.Dispose();

    /// <summary>One host's attempts in flight and how many it may have now.</summary>
    private sealed class HostLimit(int ceiling)
    {
        private readonly Lock _lock = new();
        private readonly int _ceiling = ceiling;
        private int _inFlight;
        private int _limit = ceiling;

        public int Limit
        {
            get
            {
                lock (_lock)
                {
                    return _limit;
                }
            }
        }

        public bool TryEnter()
        {
            lock (_lock)
            {
                if (_inFlight >= _limit)
                {
                    return false;
                }
                _inFlight++;
                return true;
            }
        }

        public void Exit()
        {
            lock (_lock)
            {
                _inFlight--;
            }
        }

        public void SlowDown()
        {
            lock (_lock)
            {
                _limit = Math.Max(1, _limit / 2);
            }
        }

        public void SpeedUp()
        {
            lock (_lock)
            {
                _limit = Math.Min(_ceiling, _limit + 1);
            }
        }
    }

    private sealed class Slot(HostLimit host, SemaphoreSlim global) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                global.Release();
                host.Exit();
            }
        }
    }
}
