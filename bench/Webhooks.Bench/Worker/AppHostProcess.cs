using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Webhooks.Bench.Infrastructure;

namespace Webhooks.Bench.Worker;

/// <summary>
/// The app under test alone in its own process (<see cref="AppUnderTest.StartAsync"/>), for the figures that must be the
/// app's and nobody else's: its resident memory and its CPU while deliveries wait. Whoever drives it raises from
/// another process (<see cref="AppUnderTest.ComposeBeside"/>) and reads this one's CPU and memory from outside.
/// <para>
/// It answers one command per line on standard input with one reply line: <c>status</c> (its storage operations by
/// kind, JIT time), <c>settle S</c> (waits until tiered JIT has been quiet for three seconds, at most S seconds),
/// <c>memory</c> (how its resident set splits, then a full collection) and <c>stop</c>. Between commands it reads
/// nothing and writes nothing, so a sample costs it nothing.
/// </para>
/// </summary>
internal static class AppHostProcess
{
    public const string Role = "app-host";
    public const string OptionsVariable = "WEBHOOKS_BENCH_APP";
    public const string ReadyPrefix = "APP-READY ";
    public const string ReplyPrefix = "APP-REPLY ";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = RoleStart.WatchParentAndReadInput<AppHostOptions>(args, OptionsVariable);
        await using var app = await AppUnderTest.StartAsync(options.ConnectionString, options.Settings);
        Console.WriteLine(ReadyPrefix + JsonSerializer.Serialize(new AppHostReady(app.Prefix, app.BaseAddress.ToString(), app.TeamId)));
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            JsonNode reply = words.FirstOrDefault() switch
            {
                "status" => Status(app),
                "settle" => await SettleAsync(TimeSpan.FromSeconds(double.Parse(words[1], CultureInfo.InvariantCulture))),
                "memory" => await MemoryAsync(),
                "stop" => new JsonObject(),
                _ => new JsonObject { ["error"] = "unknown command: " + line },
            };
            Console.WriteLine(ReplyPrefix + reply.ToJsonString());
            if (words.FirstOrDefault() == "stop")
            {
                break;
            }
        }
        return 0;
    }

    private static JsonObject Status(AppUnderTest app) => new()
    {
        ["ops"] = JsonSerializer.SerializeToNode(app.Counter.Snapshot()),
        ["jit_ms"] = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds,
    };

    /// <summary>
    /// Tiered JIT recompiles what the build made hot for a while after it; the idle figures are of an app it has
    /// finished with (three seconds in a row with at most one method compiled).
    /// </summary>
    private static async Task<JsonObject> SettleAsync(TimeSpan atMost)
    {
        var started = Clock.Now;
        var quietSeconds = 0;
        while (quietSeconds < 3 && Clock.SecondsSince(started) < atMost.TotalSeconds)
        {
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            await Task.Delay(TimeSpan.FromSeconds(1));
            quietSeconds = System.Runtime.JitInfo.GetCompiledMethodCount() - compiled <= 1 ? quietSeconds + 1 : 0;
        }
        return new JsonObject { ["seconds"] = Math.Round(Clock.SecondsSince(started), 1) };
    }

    /// <summary>How much of the resident set is live data and how much is memory the GC keeps for later (a full compacting collection, after the sample).</summary>
    private static async Task<JsonObject> MemoryAsync()
    {
        var (anonymous, file) = ProcessMeter.OwnRssSplit();
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        await Task.Delay(TimeSpan.FromSeconds(1));
        return new JsonObject
        {
            ["rss_anonymous_mb"] = ProcessMeter.Megabytes(anonymous),
            ["rss_file_mb"] = ProcessMeter.Megabytes(file),
            ["managed_heap_mb"] = ProcessMeter.Megabytes(heap),
            ["managed_heap_after_full_gc_mb"] = ProcessMeter.Megabytes(GC.GetTotalMemory(forceFullCollection: false)),
            ["rss_after_full_gc_mb"] = ProcessMeter.Megabytes(ProcessMeter.OwnRss),
            ["server_gc"] = System.Runtime.GCSettings.IsServerGC,
            ["concurrent_gc"] = AppContext.TryGetSwitch("System.GC.Concurrent", out var concurrent) ? concurrent : null,
        };
    }
}

/// <summary>What <see cref="AppHostProcess"/> runs: the storage account and the app's settings beyond the bench defaults.</summary>
internal sealed record AppHostOptions(string ConnectionString, Dictionary<string, string> Settings);

/// <summary>What a started <see cref="AppHostProcess"/> tells its driver: where its storage and API are, and its team.</summary>
internal sealed record AppHostReady(string Prefix, string BaseAddress, string TeamId);

/// <summary>The driver's handle on an <see cref="AppHostProcess"/>: its pid, what it said when ready, and its commands.</summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly Channel<string> _replies;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    private AppProcess(ChildProcess process, Channel<string> replies, AppHostReady ready)
    {
        _process = process;
        _replies = replies;
        Ready = ready;
    }

    public int Pid => _process.Pid;

    public AppHostReady Ready { get; }

    public static async Task<AppProcess> StartAsync(string connectionString, Dictionary<string, string> settings)
    {
        var ready = new TaskCompletionSource<AppHostReady>(TaskCreationOptions.RunContinuationsAsynchronously);
        var replies = Channel.CreateUnbounded<string>();
        var (file, prefix) = SelfCommand.Get();
        var process = ChildProcess.Start(file,
            [.. prefix, AppHostProcess.Role, Environment.ProcessId.ToString(CultureInfo.InvariantCulture)],
            line =>
            {
                if (line.StartsWith(AppHostProcess.ReadyPrefix, StringComparison.Ordinal))
                {
                    ready.TrySetResult(JsonSerializer.Deserialize<AppHostReady>(line[AppHostProcess.ReadyPrefix.Length..])!);
                }
                else if (line.StartsWith(AppHostProcess.ReplyPrefix, StringComparison.Ordinal))
                {
                    replies.Writer.TryWrite(line[AppHostProcess.ReplyPrefix.Length..]);
                }
                else
                {
                    WorkerHost.Progress("  app process: " + line);
                }
            },
            line => WorkerHost.Progress("  app process: " + line),
            AppContext.BaseDirectory,
            new Dictionary<string, string> { [AppHostProcess.OptionsVariable] = JsonSerializer.Serialize(new AppHostOptions(connectionString, settings)) },
            acceptsInput: true);
        try
        {
            await process.WaitUntilReadyAsync(ready.Task, "The app process", TimeSpan.FromMinutes(2));
        }
        catch (InvalidOperationException)
        {
            await process.DisposeAsync();
            throw;
        }
        return new AppProcess(process, replies, await ready.Task);
    }

    /// <summary>Sends one command and returns its reply.</summary>
    public async Task<JsonObject> AskAsync(string command, TimeSpan? limit = null)
    {
        await _oneAtATime.WaitAsync();
        try
        {
            await _process.WriteLineAsync(command);
            using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(60));
            return JsonNode.Parse(await _replies.Reader.ReadAsync(timeout.Token))!.AsObject();
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>The app's storage operations by kind so far (its own counter, in its pipelines).</summary>
    public async Task<SortedDictionary<string, long>> StorageOpsAsync() =>
        (await AskAsync("status"))["ops"].Deserialize<SortedDictionary<string, long>>() ?? [];

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await AskAsync("stop", TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
            {
                // Stopped by the kill below.
            }
        }
        await _process.DisposeAsync();
        _oneAtATime.Dispose();
    }
}
