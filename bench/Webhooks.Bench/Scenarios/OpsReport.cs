using System.Text.Json.Nodes;
using Webhooks.Bench.Worker;

namespace Webhooks.Bench.Scenarios;

/// <summary>
/// Splits the app's counted storage operations (<see cref="StorageOpCounter"/>) per delivery into the app's own (the
/// completion transaction, the listing index, the attempt activity's reads and its transaction, team reads), the
/// Durable engine's for the delivery (starts, messages, history, instance rows), and background work that no delivery
/// causes (receives that found nothing, partition leases, the app's own queue pollers).
/// </summary>
internal static class OpsReport
{
    public static JsonObject PerDelivery(IReadOnlyDictionary<string, long> counts, long deliveries)
    {
        double Per(long count) => Math.Round(count / (double)Math.Max(1, deliveries), 3);
        var byKind = new JsonObject();
        long app = 0, engine = 0, background = 0;
        foreach (var (kind, count) in counts)
        {
            byKind[kind] = Per(count);
            if (IsBackground(kind))
            {
                background += count;
            }
            else if (kind.Contains(StorageOpCounter.EngineMarker, StringComparison.Ordinal))
            {
                engine += count;
            }
            else
            {
                app += count;
            }
        }
        return new JsonObject
        {
            ["total"] = Per(counts.Values.Sum()),
            ["without_background"] = Per(app + engine),
            ["app"] = Per(app),
            ["engine"] = Per(engine),
            ["background"] = Per(background),
            ["by_kind"] = byKind,
        };
    }

    /// <summary>Requests no delivery causes: empty receives, partition management, blob leases.</summary>
    public static bool IsBackground(string kind) =>
        kind.EndsWith("receive (empty)", StringComparison.Ordinal) || kind.Contains("engine Partitions", StringComparison.Ordinal)
        || kind.StartsWith("blob", StringComparison.Ordinal);

    /// <summary>Counts as they are, by kind, for a window of <paramref name="seconds"/>: per second.</summary>
    public static JsonObject PerSecond(IReadOnlyDictionary<string, long> counts, double seconds)
    {
        var byKind = new JsonObject();
        foreach (var (kind, count) in counts)
        {
            byKind[kind] = Math.Round(count / seconds, 3);
        }
        return new JsonObject { ["total"] = Math.Round(counts.Values.Sum() / seconds, 2), ["by_kind"] = byKind };
    }
}
