using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Webhooks.Bench.Receiver;

/// <summary>What the receiver process has seen: counts, and per event id the monotonic time of its first 200 and first failure.</summary>
internal sealed class ReceiverState
{
    private readonly ConcurrentDictionary<int, ReceiverMode> _modes = new();
    private ConcurrentDictionary<string, long> _firstOk = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, long> _firstFail = new(StringComparer.Ordinal);
    private long _ok;
    private long _failed;
    private long _hung;

    public ReceiverMode ModeOf(int port) => _modes.TryGetValue(port, out var mode) ? mode : ReceiverMode.Ok;

    public void SetMode(int port, ReceiverMode mode) => _modes[port] = mode;

    public void RecordOk(string eventId, long timestamp)
    {
        Interlocked.Increment(ref _ok);
        _firstOk.TryAdd(eventId, timestamp);
    }

    public void RecordFailed(string eventId, long timestamp)
    {
        Interlocked.Increment(ref _failed);
        _firstFail.TryAdd(eventId, timestamp);
    }

    public void RecordHung() => Interlocked.Increment(ref _hung);

    public void Reset()
    {
        _firstOk = new(StringComparer.Ordinal);
        _firstFail = new(StringComparer.Ordinal);
        Interlocked.Exchange(ref _ok, 0);
        Interlocked.Exchange(ref _failed, 0);
        Interlocked.Exchange(ref _hung, 0);
    }

    public ReceiverStats Stats() => new(Interlocked.Read(ref _ok), _firstOk.Count, Interlocked.Read(ref _failed), Interlocked.Read(ref _hung));

    /// <summary>One line per event: <c>id okTimestamp failTimestamp</c> (0 when none).</summary>
    public string Receipts()
    {
        var text = new StringBuilder();
        foreach (var id in _firstOk.Keys.Union(_firstFail.Keys))
        {
            var ok = _firstOk.TryGetValue(id, out var o) ? o : 0;
            var fail = _firstFail.TryGetValue(id, out var f) ? f : 0;
            text.Append(id).Append(' ').Append(ok.ToString(CultureInfo.InvariantCulture)).Append(' ')
                .Append(fail.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }
}
