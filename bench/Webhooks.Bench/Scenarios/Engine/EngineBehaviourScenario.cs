using System.Text.Json.Nodes;
using Webhooks.Bench.Worker;

namespace Webhooks.Bench.Scenarios.Engine;

/// <summary>
/// What a product built on the engine must know, beside its speed: an instance id started twice, what an idle worker
/// polls and what a waiting instance keeps in memory, partitions rebalanced across two processes and taken over from
/// a killed one. Not part of the default run (it takes about five minutes): <c>./build.sh bench --only engine-behaviour</c>.
/// </summary>
internal static class EngineBehaviourScenario
{
    public const string Name = "engine-behaviour";

    public static async Task<JsonObject> RunAsync(WorkerInput input, CancellationToken cancellationToken)
    {
        var result = new JsonObject();
        async Task PartAsync(string name, Func<Task<JsonNode>> part)
        {
            try
            {
                result[name] = await part();
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                WorkerHost.Progress($"engine-behaviour {name}: {e}");
                result[name] = new JsonObject { ["error"] = e.GetType().Name + ": " + e.Message };
            }
        }
        await PartAsync("start_twice", async () => await EngineStartTwiceProbe.RunAsync(input, cancellationToken));
        foreach (var config in EngineConfigs.Idle)
        {
            await PartAsync(config.Name, async () => await EngineRun.RunAsync(config, input, cancellationToken));
        }
        await PartAsync("failover", async () => await EngineFailoverProbe.RunAsync(input, cancellationToken));
        return result;
    }
}
