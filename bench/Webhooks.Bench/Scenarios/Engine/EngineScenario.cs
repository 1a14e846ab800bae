using System.Text.Json.Nodes;
using Webhooks.Bench.Worker;

namespace Webhooks.Bench.Scenarios.Engine;

/// <summary>
/// The engine ceiling: the Durable Task Framework on its Azure Storage backend (this Azurite, in this process) running
/// an orchestration whose one activity does nothing, N instances in flight: how many instances per second the
/// engine completes when nothing else runs, what each costs in storage operations (by kind), and start → complete.
/// Each configuration gets a task hub of its own, one after the other on the same Azurite, so their figures compare
/// as ratios within a run (the machine is shared; absolute figures move from run to run).
/// </summary>
internal static class EngineScenario
{
    public const string Name = "engine";

    public static async Task<JsonObject> RunAsync(WorkerInput input, CancellationToken cancellationToken)
    {
        var names = input.EngineConfigs.Length > 0 ? input.EngineConfigs : EngineConfigs.Standard;
        var rounds = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        for (var round = 1; round <= Math.Max(1, input.EngineRounds); round++)
        {
            // Rounds interleave the configurations, so that a minute when the shared machine is busy does not fall on one alone.
            foreach (var name in names)
            {
                var config = EngineConfigs.Named(name);
                if (round == 1 && input.EngineLatencySeconds > 0)
                {
                    config = config with { LatencySeconds = input.EngineLatencySeconds };
                }
                JsonObject run;
                try
                {
                    run = await EngineRun.RunAsync(config, input, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    WorkerHost.Progress($"engine {name}: {e}");
                    run = new JsonObject { ["error"] = e.GetType().Name + ": " + e.Message };
                }
                (rounds.TryGetValue(name, out var list) ? list : rounds[name] = []).Add(run);
            }
        }
        var configs = new JsonObject();
        foreach (var name in names)
        {
            configs[name] = Combine(rounds[name]);
        }
        var result = new JsonObject
        {
            ["engine_ceiling_per_s"] = Figure(configs, EngineConfigs.Product, "instances_per_s"),
            ["engine_ceiling_recommended_per_s"] = Figure(configs, EngineConfigs.Recommended, "instances_per_s"),
            ["engine_ceiling_defaults_per_s"] = Figure(configs, EngineConfigs.Defaults, "instances_per_s"),
            ["ops_per_instance"] = Figure(configs, EngineConfigs.Product, "storage_ops_per_instance", "total"),
            ["ops_per_instance_recommended"] = Figure(configs, EngineConfigs.Recommended, "storage_ops_per_instance", "total"),
            ["ops_per_instance_defaults"] = Figure(configs, EngineConfigs.Defaults, "storage_ops_per_instance", "total"),
            ["in_flight"] = input.Concurrency,
            ["seconds_per_configuration"] = input.EngineSeconds,
            ["rounds"] = Math.Max(1, input.EngineRounds),
            ["configs"] = configs,
        };
        return result;
    }

    /// <summary>
    /// The first round's full figures, with the rate, the operations and the CPU per instance replaced by their
    /// medians over the rounds (each round's values kept beside them).
    /// </summary>
    private static JsonObject Combine(List<JsonObject> runs)
    {
        var ok = runs.Where(r => r["error"] is null).ToList();
        if (ok.Count == 0)
        {
            return runs[0];
        }
        var combined = ok[0].DeepClone().AsObject();
        if (ok.Count == 1)
        {
            return combined;
        }
        double Median(Func<JsonObject, double> value)
        {
            var sorted = ok.Select(value).Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }
        combined["rounds"] = ok.Count;
        combined["instances_per_s_each_round"] = new JsonArray([.. ok.Select(r => r["instances_per_s"]!.DeepClone())]);
        combined["instances_per_s"] = Math.Round(Median(r => r["instances_per_s"]!.GetValue<double>()), 1);
        var ops = combined["storage_ops_per_instance"]!.AsObject();
        ops["total_each_round"] = new JsonArray([.. ok.Select(r => r["storage_ops_per_instance"]!["total"]!.DeepClone())]);
        ops["total"] = Math.Round(Median(r => r["storage_ops_per_instance"]!["total"]!.GetValue<double>()), 3);
        ops["without_background"] = Math.Round(Median(r => r["storage_ops_per_instance"]!["without_background"]!.GetValue<double>()), 3);
        ops["background"] = Math.Round(Median(r => r["storage_ops_per_instance"]!["background"]!.GetValue<double>()), 3);
        foreach (var key in new[] { "app_cpu_ms_per_instance", "azurite_cpu_ms_per_instance", "cpu_ms_per_instance" })
        {
            combined[key] = Math.Round(Median(r => r[key]!.GetValue<double>()), 2);
        }
        combined["start_to_done_ms"]!["p50_ms"] = Math.Round(Median(r => r["start_to_done_ms"]!["p50_ms"]!.GetValue<double>()), 1);
        return combined;
    }

    private static JsonNode? Figure(JsonObject configs, string config, params string[] path)
    {
        JsonNode? node = configs[config];
        foreach (var key in path)
        {
            node = node?[key];
        }
        return node?.DeepClone();
    }
}
