using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Webhooks.Bench.Infrastructure;
using Webhooks.Bench.Receiver;
using Webhooks.Bench.Reporting;
using Webhooks.Bench.Scenarios;
using Webhooks.Bench.Scenarios.Engine;
using Webhooks.Bench.Worker;
using EngineCatalog = Webhooks.Bench.Scenarios.Engine.EngineConfigs;

namespace Webhooks.Bench;

/// <summary>
/// What <c>./build.sh bench</c> runs: starts Azurite and the receiver process, runs each scenario in a fresh worker
/// process (sizes from the command line, rates from earlier scenarios), then prints and writes the report.
/// </summary>
internal static class Orchestrator
{
    public static async Task<int> RunAsync(string[] args)
    {
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        var root = RepositoryRoot();
        var run = new JsonObject
        {
            ["command"] = string.Join(' ', args.Prepend("bench").Prepend("./build.sh")),
            ["machine"] = await MachineFactsAsync(root),
            ["options"] = JsonSerializer.SerializeToNode(options),
        };
        var results = new JsonObject();
        run["scenarios"] = results;
        var total = Stopwatch.StartNew();

        Console.Error.WriteLine($"bench: starting the receiver process ({options.Endpoints} endpoints)");
        var (receiverProcess, receiver) = await StartReceiverAsync(options.Endpoints);
        await using var receiverHandle = receiverProcess;
        var receiverPid = receiverProcess.Pid;

        double? throughputRate = null;
        foreach (var scenario in options.Scenarios)
        {
            var elapsed = total.Elapsed.TotalSeconds;
            // A fresh Azurite per scenario: what one scenario leaves behind (tens of thousands of rows, waiting
            // queue messages) makes Azurite slower for the next, which would measure the previous scenario, not this one.
            Console.Error.WriteLine($"bench: starting a fresh Azurite for {scenario}");
            // The backlog holds thousands of queue messages; Azurite as installed would make each queue operation cost
            // in proportion to them (Infrastructure/QueueStoreFix.cs).
            var queueStoreFixed = scenario == BacklogScenario.Name && !options.StockAzurite;
            await using var azurite = await AzuriteServer.StartAsync(root, queueStoreFixed);
            // The backlog builds at about the delivery rate (a failed first attempt and a timer instead of a success): it
            // may take twice its estimate, and stops when the run's time is up (settling, the sample and counting
            // follow it), unless --backlog asked for a size whatever the time.
            var backlogEstimate = options.Backlog / (throughputRate ?? 20);
            var backlogBuildCap = options.BacklogGiven ? (2 * backlogEstimate) + 60 : Math.Max(30, options.RunSeconds - elapsed - 90);
            var input = new WorkerInput
            {
                Scenario = scenario,
                AzuriteConnection = azurite.ConnectionString,
                AzuritePids = azurite.Pids,
                ReceiverPid = receiverPid,
                Receiver = receiver,
                Concurrency = options.Concurrency,
                Warmup = options.Warmup,
                ThroughputSeconds = options.ThroughputSeconds,
                LatencySeconds = options.LatencySeconds,
                Rate = options.Rate ?? (throughputRate is { } r ? r / 2 : 20),
                Backlog = options.Backlog,
                BacklogIdleSampleSeconds = options.BacklogIdleSeconds,
                BacklogBuildCapSeconds = backlogBuildCap,
                BatchItems = options.BatchItems,
                CrawlPages = options.CrawlPages,
                LoadSeconds = options.LoadSeconds,
                EngineConfigs = [.. options.EngineConfigs],
                EngineSeconds = options.EngineSeconds,
                EngineWarmup = options.EngineWarmup,
                EngineLatencySeconds = options.EngineLatencySeconds,
                EngineRounds = options.EngineRounds,
            };
            input = input with { BudgetSeconds = Budget(input) };
            Console.Error.WriteLine($"bench: scenario {scenario} (budget {input.BudgetSeconds:0} s)");
            var result = await RunWorkerAsync(input);
            result["azurite_queue_store"] = queueStoreFixed ? "fixed (Infrastructure/QueueStoreFix.cs)" : "as installed";
            results[scenario] = result;
            if (scenario == ThroughputScenario.Name && result["deliveries_per_s"]?.GetValue<double>() is { } measured and > 0)
            {
                throughputRate = measured;
            }
        }
        run["total_seconds"] = Math.Round(total.Elapsed.TotalSeconds, 1);

        // The headline figures under fixed keys (issue 13's list), whatever else the scenarios report.
        run["throughput"] = Pick(results["throughput"], ("deliveries_per_s", ["deliveries_per_s"]), ("engine_ceiling_per_s", ["engine_ceiling_per_s"]),
            ("ratio_to_engine_ceiling", ["ratio_to_engine_ceiling"]), ("storage_ops_per_delivery", ["storage_ops_per_delivery", "total"]));
        run["latency"] = Pick(results["latency"], ("p50_ms", ["latency_ms", "p50_ms"]), ("p99_ms", ["latency_ms", "p99_ms"]));
        run["isolation"] = Pick(results["isolation"], ("healthy_p99_ms", ["latency_ms", "p99_ms"]));
        run["backlog"] = Pick(results["backlog"], ("waiting", ["waiting"]), ("app_rss_mb", ["app_rss_mb"]), ("app_cpu_cores", ["cpu", "app_cores"]),
            ("storage_ops_per_s", ["storage_ops_per_s", "total"]));

        string markdown;
        try
        {
            var report = Report.Build(run);
            markdown = report.Markdown;
            run["summary"] = report.Rows;
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException)
        {
            // A figure missing or of an unexpected shape must not lose the run: the JSON below has everything.
            markdown = $"The figures table could not be built ({e.Message}); see bench/results/latest.json.";
        }
        Console.WriteLine();
        Console.WriteLine(markdown);
        var folder = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(folder);
        await WriteAtomicallyAsync(Path.Combine(folder, "latest.json"), run.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        await WriteAtomicallyAsync(Path.Combine(folder, "latest.md"), markdown);
        Console.WriteLine($"Written: bench/results/latest.json, bench/results/latest.md ({total.Elapsed.TotalSeconds:0} s in all)");
        return 0;
    }

    /// <summary>The figures at <paramref name="picks"/>' paths in a scenario's result, under their new names (null where absent).</summary>
    private static JsonObject Pick(JsonNode? result, params (string Key, string[] Path)[] picks)
    {
        var picked = new JsonObject();
        foreach (var (key, path) in picks)
        {
            var node = result;
            foreach (var step in path)
            {
                node = node is JsonObject o ? o[step] : null;
            }
            picked[key] = node?.DeepClone();
        }
        return picked;
    }

    private static double Budget(WorkerInput input) => input.Scenario switch
    {
        // The ceiling (start, warm-up, its window, one traced instance, a stop), then the product's warm-up, window and drain.
        ThroughputScenario.Name => 240 + input.EngineSeconds + input.ThroughputSeconds,
        FanOutScenario.Name => 150 + input.ThroughputSeconds,
        // Two apps, each: start, endpoints, the product's warm-up, window and drain; the stats queries after the second.
        EndpointCostsScenario.Name => 300 + (2 * input.ThroughputSeconds),
        LatencyScenario.Name or LatencyScenario.IsolationName => 150 + input.LatencySeconds,
        // The build, the sessions' idle timeout and JIT settling (≤ 63 s), the sample, the count.
        BacklogScenario.Name => 160 + input.BacklogBuildCapSeconds + input.BacklogIdleSampleSeconds,
        ApiLoadScenario.Name => 60 + input.LoadSeconds,
        // Per configuration: start, warm-up, the closed loop, one traced instance, a graceful stop; the open loops.
        EngineScenario.Name => 30 + (input.EngineConfigs.Length * ((input.EngineRounds * (input.EngineSeconds + 40)) + input.EngineLatencySeconds))
            + input.EngineConfigs.Sum(c => EngineCatalog.Named(c).IdleSeconds),
        EngineBehaviourScenario.Name => 600,
        _ => 420,
    };

    private static async Task<(ChildProcess Process, ReceiverEndpoints Endpoints)> StartReceiverAsync(int endpoints)
    {
        var ready = new TaskCompletionSource<ReceiverEndpoints>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (file, prefix) = SelfCommand.Get();
        var process = ChildProcess.Start(file,
            [.. prefix, ReceiverServer.Role, "--endpoints", endpoints.ToString(CultureInfo.InvariantCulture), "--parent", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)],
            line =>
            {
                if (line.StartsWith(ReceiverServer.ReadyPrefix, StringComparison.Ordinal))
                {
                    ready.TrySetResult(JsonSerializer.Deserialize<ReceiverEndpoints>(line[ReceiverServer.ReadyPrefix.Length..])!);
                }
            },
            line => Console.Error.WriteLine("receiver: " + line));
        try
        {
            await process.WaitUntilReadyAsync(ready.Task, "The receiver process", TimeSpan.FromSeconds(60));
        }
        catch (InvalidOperationException)
        {
            await process.DisposeAsync();
            throw;
        }
        return (process, await ready.Task);
    }

    private static async Task<JsonObject> RunWorkerAsync(WorkerInput input)
    {
        JsonObject? result = null;
        var (file, prefix) = SelfCommand.Get();
        await using var worker = ChildProcess.Start(file,
            [.. prefix, WorkerHost.Role, Environment.ProcessId.ToString(CultureInfo.InvariantCulture)],
            line =>
            {
                if (line.StartsWith(WorkerHost.ResultPrefix, StringComparison.Ordinal))
                {
                    result = JsonNode.Parse(line[WorkerHost.ResultPrefix.Length..])!.AsObject();
                }
                else
                {
                    Console.Error.WriteLine("  app: " + line);
                }
            },
            line => Console.Error.WriteLine("  " + line),
            AppContext.BaseDirectory,
            new Dictionary<string, string> { [WorkerHost.InputVariable] = JsonSerializer.Serialize(input) });
        // The worker stops itself at its budget; the margin covers start-up and shut-down.
        var exited = await worker.WaitForExitAsync(TimeSpan.FromSeconds(input.BudgetSeconds + 60));
        await Task.Delay(100);
        return result ?? new JsonObject { ["error"] = exited ? $"worker exited with {worker.ExitCode} and no result" : "worker killed at its time budget" };
    }

    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Webhooks.Functions.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("Run from the repository (Webhooks.Functions.sln not found).");
    }

    private static async Task<JsonObject> MachineFactsAsync(string root) => new()
    {
        ["nproc"] = Environment.ProcessorCount,
        ["dotnet_version"] = await OutputOfAsync("dotnet", ["--version"], root),
        ["node_version"] = await OutputOfAsync("node", ["--version"], root),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["date_utc"] = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["load_average_at_start"] = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg")).Trim() : null,
        ["memory_total_mb"] = ProcessMeter.Megabytes(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes),
        ["git_commit"] = await OutputOfAsync("git", ["rev-parse", "--short", "HEAD"], root),
        ["git_uncommitted_files"] = (await OutputOfAsync("git", ["status", "--porcelain"], root))?.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length,
        ["server_gc"] = System.Runtime.GCSettings.IsServerGC,
    };

    private static async Task<string?> OutputOfAsync(string file, string[] arguments, string workingDirectory)
    {
        try
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }
            using var process = Process.Start(info)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return output.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static async Task WriteAtomicallyAsync(string path, string content)
    {
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
