using System.Globalization;
using Webhooks.Bench.Engine;
using Webhooks.Bench.Infrastructure;
using Webhooks.Functions.Hosting.Durable;

namespace Webhooks.Bench.Scenarios.Engine;

/// <summary>
/// A second engine process on the same task hub (the failover probe kills it with SIGKILL). It runs the ceiling
/// orchestration and prints what happens on stdout, with monotonic timestamps the parent can compare with its own.
/// </summary>
internal static class EngineHostProcess
{
    public const string Role = "engine-host";
    public const string OptionsVariable = "WEBHOOKS_BENCH_ENGINE";
    public const string ReadyLine = "ENGINE-READY";
    public const string ActivityPrefix = "ENGINE-ACTIVITY ";
    public const string DonePrefix = "ENGINE-DONE ";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = RoleStart.WatchParentAndReadInput<EngineHostOptions>(args, OptionsVariable);
        var tracker = new InstanceTracker(CeilingWorkload.Complete);
        var registrations = new DurableEngineRegistrations()
            .AddOrchestrator(CeilingOrchestrator.Name, () => new CeilingOrchestrator())
            .AddActivity(NoopActivity.Name, () => new NoopActivity(id => Console.WriteLine(ActivityPrefix + id + " " + Clock.Now.ToString(CultureInfo.InvariantCulture))));
        await using var engine = await DurableEngine.StartAsync(
            EngineSettings.Build(options.ConnectionString, options.TaskHub, options.Durable, workerId: options.WorkerId), registrations,
            decorate: service => new CheckpointObserver(service, (id, status, _) =>
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DonePrefix}{id} {status} {Clock.Now}"))));
        Console.WriteLine(ReadyLine);
        await Task.Delay(Timeout.Infinite);
        return 0;
    }
}

/// <summary>What <see cref="EngineHostProcess"/> runs on, passed in its environment.</summary>
internal sealed record EngineHostOptions(string ConnectionString, string TaskHub, string WorkerId, DurableOptions Durable);
