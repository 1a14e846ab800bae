using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using Webhooks.Bench.Engine;
using Webhooks.Bench.Worker;

namespace Webhooks.Bench.Scenarios.Engine;

/// <summary>
/// What the engine does when an instance id is started a second time: after it completed or while it runs, with and
/// without dedupeStatuses, and when the same bare start message is sent twice. Each case: how many times the
/// activity ran, how many completions were checkpointed, what the second start call did, and the final state.
/// </summary>
internal static class EngineStartTwiceProbe
{
    private static readonly OrchestrationStatus[] AllStatuses =
    [
        OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.Completed, OrchestrationStatus.Failed,
        OrchestrationStatus.Terminated, OrchestrationStatus.Canceled, OrchestrationStatus.ContinuedAsNew, OrchestrationStatus.Suspended,
    ];

    public static async Task<JsonObject> RunAsync(WorkerInput input, CancellationToken cancellationToken)
    {
        var result = new JsonObject();
        foreach (var dedupeRead in new[] { true, false })
        {
            var hub = "eng" + Webhooks.Functions.Ids.RandomString(8);
            var options = EngineSettings.BackendDefaults();
            options.MaxQueuePollingInterval = TimeSpan.FromSeconds(1);
            var settings = EngineSettings.Build(input.AzuriteConnection, hub, options);
            settings.DisableExecutionStartedDeduplication = !dedupeRead;
            var activityRuns = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            var completions = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            var registrations = new DurableEngineRegistrations()
                .AddOrchestrator(CeilingOrchestrator.Name, () => new CeilingOrchestrator())
                .AddActivity(NoopActivity.Name, () => new NoopActivity(id => activityRuns.AddOrUpdate(id, 1, (_, n) => n + 1)));
            await using var engine = await DurableEngine.StartAsync(settings, registrations, decorate: service => new CheckpointObserver(service, (id, status, _) =>
            {
                if (status == OrchestrationStatus.Completed)
                {
                    completions.AddOrUpdate(id, 1, (_, n) => n + 1);
                }
            }));

            async Task<JsonObject> CaseAsync(string name, Func<string, Task> first, Func<string, Task> second, bool waitForFirst)
            {
                var id = hub + "-" + name;
                WorkerHost.Progress($"engine-behaviour: start twice, {name}");
                await first(id);
                if (waitForFirst)
                {
                    await WaitUntilAsync(() => completions.GetValueOrDefault(id) >= 1, TimeSpan.FromSeconds(30), cancellationToken);
                }
                string secondCall;
                try
                {
                    await second(id);
                    secondCall = "returned";
                }
                catch (Exception e) when (e is OrchestrationAlreadyExistsException or InvalidOperationException)
                {
                    secondCall = "threw " + e.GetType().Name;
                }
                // Long enough for a second run to start and finish with 1 s polling.
                await Task.Delay(TimeSpan.FromSeconds(6), cancellationToken);
                var states = await engine.Client.GetOrchestrationStateAsync(id, allExecutions: false);
                var state = states.FirstOrDefault();
                return new JsonObject
                {
                    ["second_start_call"] = secondCall,
                    ["activity_runs"] = activityRuns.GetValueOrDefault(id),
                    ["completions_checkpointed"] = completions.GetValueOrDefault(id),
                    ["final_status"] = state?.OrchestrationStatus.ToString() ?? "(no Instances row)",
                };
            }

            Task Create(string id) => engine.Client.CreateOrchestrationInstanceAsync(CeilingOrchestrator.Name, string.Empty, id, CeilingWorkload.Complete);
            Task CreateDeduped(string id) => engine.Client.CreateOrchestrationInstanceAsync(
                CeilingOrchestrator.Name, string.Empty, id, CeilingWorkload.Complete, tags: null, AllStatuses);
            var cases = new JsonObject
            {
                ["after_completion"] = await CaseAsync("done-again", Create, Create, waitForFirst: true),
                ["after_completion_with_dedupe_statuses"] = await CaseAsync("done-dedupe", Create, CreateDeduped, waitForFirst: true),
                ["at_once"] = await CaseAsync("twice", Create, Create, waitForFirst: false),
                ["at_once_with_dedupe_statuses"] = await CaseAsync("twice-dedupe", CreateDeduped, CreateDeduped, waitForFirst: false),
            };
            settings.ThrowExceptionOnInvalidDedupeStatus = true;
            cases["after_completion_with_dedupe_statuses_and_ThrowExceptionOnInvalidDedupeStatus"] =
                await CaseAsync("done-throw", Create, CreateDeduped, waitForFirst: true);
            settings.ThrowExceptionOnInvalidDedupeStatus = false;
            if (!dedupeRead)
            {
                // A product that starts with a bare message must make a repeated send identical (same execution id).
                var executionId = Guid.NewGuid().ToString("N");
                cases["same_start_message_twice_after_completion"] = await CaseAsync("msg-same",
                    id => engine.StartOrchestrationAsync(CeilingOrchestrator.Name, id, executionId, CeilingWorkload.Complete),
                    id => engine.StartOrchestrationAsync(CeilingOrchestrator.Name, id, executionId, CeilingWorkload.Complete), waitForFirst: true);
                cases["start_message_with_new_execution_id_after_completion"] = await CaseAsync("msg-new",
                    id => engine.StartOrchestrationAsync(CeilingOrchestrator.Name, id, Guid.NewGuid().ToString("N"), CeilingWorkload.Complete),
                    id => engine.StartOrchestrationAsync(CeilingOrchestrator.Name, id, Guid.NewGuid().ToString("N"), CeilingWorkload.Complete), waitForFirst: true);
            }
            result[dedupeRead ? "start_dedupe_read_on" : "DisableExecutionStartedDeduplication"] = cases;
        }
        return result;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Infrastructure.Clock.Now;
        while (!condition() && Infrastructure.Clock.SecondsSince(started) < timeout.TotalSeconds)
        {
            await Task.Delay(50, cancellationToken);
        }
    }
}
