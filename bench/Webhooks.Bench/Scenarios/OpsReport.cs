using System.Text.Json.Nodes;

namespace Webhooks.Bench.Scenarios;

/// <summary>
/// Splits the app's counted storage operations into the delivery path, the listing index (written beside the path)
/// and the queue pollers' receives (idle polling, not caused by a delivery), per delivery.
/// </summary>
internal static class OpsReport
{
    public static JsonObject PerDelivery(IReadOnlyDictionary<string, long> counts, long deliveries)
    {
        var byKind = new JsonObject();
        long path = 0, index = 0, polls = 0, other = 0;
        foreach (var (kind, count) in counts)
        {
            byKind[kind] = Math.Round(count / (double)Math.Max(1, deliveries), 4);
            if (kind.StartsWith("table eventindex", StringComparison.Ordinal))
            {
                index += count;
            }
            else if (kind.EndsWith(" receive", StringComparison.Ordinal))
            {
                polls += count;
            }
            else if (kind.StartsWith("table jobs", StringComparison.Ordinal) || kind.StartsWith("queue deliveries", StringComparison.Ordinal)
                || kind.StartsWith("table teams", StringComparison.Ordinal))
            {
                path += count;
            }
            else
            {
                other += count;
            }
        }
        return new JsonObject
        {
            ["delivery_path"] = Math.Round(path / (double)Math.Max(1, deliveries), 3),
            ["index"] = Math.Round(index / (double)Math.Max(1, deliveries), 3),
            ["queue_receives"] = Math.Round(polls / (double)Math.Max(1, deliveries), 3),
            ["other"] = Math.Round(other / (double)Math.Max(1, deliveries), 3),
            ["total"] = Math.Round(counts.Values.Sum() / (double)Math.Max(1, deliveries), 3),
            ["by_kind"] = byKind,
        };
    }
}
