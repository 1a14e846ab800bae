namespace Webhooks.Receiver;

/// <summary>
/// An <see cref="IWebhookIdempotencyStore"/> held in process memory: bounded to <see cref="Capacity"/> keys, each
/// forgotten <see cref="Retention"/> after it was processed. Suits a single instance; use
/// <see cref="TableStorageWebhookIdempotencyStore"/> when several instances receive the same webhooks or duplicates
/// must be caught across restarts.
/// </summary>
public sealed class InMemoryWebhookIdempotencyStore : IWebhookIdempotencyStore
{
    /// <summary>The default <see cref="Capacity"/>: 100,000 keys.</summary>
    public const int DefaultCapacity = 100_000;

    /// <summary>The default <see cref="Retention"/>: 3 days, longer than the longest retry schedule (about 28 h).</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(3);

    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    // Keys in the order they were claimed; when the store is full the oldest goes first.
    private readonly LinkedList<string> _order = new();
    private readonly int _capacity = DefaultCapacity;
    private readonly TimeSpan _retention = DefaultRetention;

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock leases and retention are measured with.</param>
    public InMemoryWebhookIdempotencyStore(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <summary>The most keys kept; past it the oldest claimed key is forgotten. At least 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int Capacity
    {
        get => _capacity;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _capacity = value;
        }
    }

    /// <summary>How long a processed key is remembered. Positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan Retention
    {
        get => _retention;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _retention = value;
        }
    }

    /// <summary>The number of keys currently held, expired ones included until they are swept.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task<WebhookClaimResult> TryClaimAsync(string key, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            SweepExpiredHead(now);
            if (_entries.TryGetValue(key, out var existing) && existing.ExpiresAt > now)
            {
                return Task.FromResult(existing.Processed ? WebhookClaimResult.AlreadyProcessed : WebhookClaimResult.InProgress);
            }

            if (existing is not null)
            {
                Remove(key, existing);
            }

            while (_entries.Count >= _capacity)
            {
                Remove(_order.First!.Value, _entries[_order.First.Value]);
            }

            _entries[key] = new Entry(_order.AddLast(key)) { ExpiresAt = now + lease };
            return Task.FromResult(WebhookClaimResult.Acquired);
        }
    }

    /// <inheritdoc />
    public Task MarkProcessedAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                // The claim was evicted while the handler ran; remember the outcome all the same.
                while (_entries.Count >= _capacity)
                {
                    Remove(_order.First!.Value, _entries[_order.First.Value]);
                }

                entry = new Entry(_order.AddLast(key));
                _entries[key] = entry;
            }

            entry.Processed = true;
            entry.ExpiresAt = now + _retention;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry) && !entry.Processed)
            {
                Remove(key, entry);
            }
        }

        return Task.CompletedTask;
    }

    private void SweepExpiredHead(DateTimeOffset now)
    {
        while (_order.First is { } first && _entries[first.Value].ExpiresAt <= now)
        {
            Remove(first.Value, _entries[first.Value]);
        }
    }

    private void Remove(string key, Entry entry)
    {
        _order.Remove(entry.Node);
        _entries.Remove(key);
    }

    private sealed class Entry(LinkedListNode<string> node)
    {
        public LinkedListNode<string> Node { get; } = node;

        public bool Processed { get; set; }

        public DateTimeOffset ExpiresAt { get; set; }
    }
}
