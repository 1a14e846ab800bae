using System.Text.Json.Nodes;

namespace Webhooks.Bench.Infrastructure;

/// <summary>
/// CPU used by each named process over a wall-clock window, as cores (CPU seconds ÷ wall seconds): 1.0 is one core
/// busy the whole time. The machine has few cores and is shared, so these say where the time went, not how fast.
/// </summary>
internal sealed class CpuWindow
{
    private readonly IReadOnlyDictionary<string, int[]> _pids;
    private readonly Dictionary<string, TimeSpan> _start = [];
    private readonly long _startedAt;

    private CpuWindow(IReadOnlyDictionary<string, int[]> pids)
    {
        _pids = pids;
        foreach (var (name, pid) in pids)
        {
            _start[name] = ProcessMeter.CpuTime(pid) ?? TimeSpan.Zero;
        }
        _startedAt = Clock.Now;
    }

    public static CpuWindow Start(IReadOnlyDictionary<string, int[]> pids) => new(pids);

    /// <summary>Cores used per process since the start, and the window's wall time in seconds.</summary>
    public JsonObject Stop()
    {
        var wall = Clock.SecondsSince(_startedAt);
        var result = new JsonObject { ["wall_s"] = Math.Round(wall, 2) };
        foreach (var (name, pid) in _pids)
        {
            var used = (ProcessMeter.CpuTime(pid) ?? _start[name]) - _start[name];
            result[name + "_cpu_s"] = Math.Round(used.TotalSeconds, 2);
            result[name + "_cores"] = Math.Round(used.TotalSeconds / wall, 3);
        }
        return result;
    }
}
