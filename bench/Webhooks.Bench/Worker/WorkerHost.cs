using System.Text.Json.Nodes;
using Webhooks.Bench.Infrastructure;
using Webhooks.Bench.Scenarios;
using Webhooks.Bench.Scenarios.Engine;

namespace Webhooks.Bench.Worker;

/// <summary>
/// A worker process runs one scenario and prints its figures as one JSON line. A fresh process per scenario keeps
/// each scenario's CPU time and resident memory its own (no heap left over from the previous one).
/// </summary>
internal static class WorkerHost
{
    public const string Role = "worker";
    public const string InputVariable = "WEBHOOKS_BENCH_INPUT";
    public const string ResultPrefix = "BENCH-RESULT ";

    public static async Task<int> RunAsync(string[] args)
    {
        var input = RoleStart.WatchParentAndReadInput<WorkerInput>(args, InputVariable);
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(input.BudgetSeconds));
        JsonObject result;
        try
        {
            result = input.Scenario switch
            {
                ThroughputScenario.Name => await ThroughputScenario.RunAsync(input, budget.Token),
                FanOutScenario.Name => await FanOutScenario.RunAsync(input, budget.Token),
                LatencyScenario.Name => await LatencyScenario.RunAsync(input, isolation: false, budget.Token),
                LatencyScenario.IsolationName => await LatencyScenario.RunAsync(input, isolation: true, budget.Token),
                BacklogScenario.Name => await BacklogScenario.RunAsync(input, budget.Token),
                JobsScenario.Name => await JobsScenario.RunAsync(input, budget.Token),
                ApiLoadScenario.Name => await ApiLoadScenario.RunAsync(input, budget.Token),
                EndpointCostsScenario.Name => await EndpointCostsScenario.RunAsync(input, budget.Token),
                EngineScenario.Name => await EngineScenario.RunAsync(input, budget.Token),
                EngineBehaviourScenario.Name => await EngineBehaviourScenario.RunAsync(input, budget.Token),
                _ => throw new ArgumentException($"Unknown scenario {input.Scenario}."),
            };
        }
        catch (Exception e)
        {
            result = new JsonObject { ["error"] = e.GetType().Name + ": " + e.Message };
            await Console.Error.WriteLineAsync(e.ToString());
        }
        result["worker_peak_rss_mb"] = ProcessMeter.Megabytes(ProcessMeter.OwnPeakRss);
        Console.WriteLine(ResultPrefix + result.ToJsonString());
        return 0;
    }

    public static IReadOnlyDictionary<string, int[]> Processes(WorkerInput input) => new Dictionary<string, int[]>(StringComparer.Ordinal)
    {
        ["app"] = [Environment.ProcessId],
        ["azurite"] = input.AzuritePids,
        ["receiver"] = [input.ReceiverPid],
    };

    public static void Progress(string message) => Console.Error.WriteLine(message);
}
