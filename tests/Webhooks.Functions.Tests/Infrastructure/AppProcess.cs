using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// The real app as a child process in Standalone mode (<c>dotnet Webhooks.Functions.dll</c>, Development environment),
/// so a test can kill it the hard way (SIGKILL of the whole process tree: no graceful stop, no drain) and start it
/// again on the same storage. Each start listens on a fresh loopback port; <see cref="BaseAddress"/> follows it.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 200;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly Func<string, bool>? _capture;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _captured = new();
    private Process? _process;

    private AppProcess(IReadOnlyDictionary<string, string> environment, Func<string, bool>? capture)
    {
        _environment = environment;
        _capture = capture;
    }

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>How many times the process was started (the first start included).</summary>
    public int Starts { get; private set; }

    public int Kills { get; private set; }

    /// <summary>The id of the current (or last) process: the app's Durable worker id is the machine name and this.</summary>
    public int ProcessId { get; private set; }

    /// <summary>Every line, of every start, that the <c>capture</c> filter given to <see cref="StartAsync(string, string, IDictionary{string, string}?, Func{string, bool}?)"/> kept.</summary>
    public IReadOnlyList<string> CapturedLines => _captured.ToArray();

    /// <summary>The last lines the process wrote (stdout and stderr), for failure messages.</summary>
    public string RecentOutput => string.Join('\n', _output);

    /// <summary>
    /// Starts the app with <paramref name="settings"/> (configuration keys with <c>:</c>; they become environment
    /// variables with <c>__</c>) on top of Development, the test admin and dev keys and <c>Delivery:Jitter=0</c>.
    /// Output lines for which <paramref name="capture"/> holds are kept in <see cref="CapturedLines"/>, all of them,
    /// beyond the last lines <see cref="RecentOutput"/> keeps.
    /// </summary>
    public static async Task<AppProcess> StartAsync(
        string connectionString, string prefix, IDictionary<string, string>? settings = null, Func<string, bool>? capture = null)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["AzureWebJobsStorage"] = connectionString,
            ["Storage:Prefix"] = prefix,
            ["Admin:ApiKey"] = TestApp.AdminKey,
            ["Dev:ApiKey"] = TestApp.DevApiKey,
            ["Delivery:Jitter"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        var app = new AppProcess(environment.ToDictionary(p => p.Key.Replace(":", "__", StringComparison.Ordinal), p => p.Value, StringComparer.Ordinal), capture);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            // A process that never became healthy is still a process: do not leave it running.
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    /// <summary>Starts the process (again) and waits until <c>/healthz</c> answers 200.</summary>
    public async Task StartAsync()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("The app is already running.");
        }
        var port = FreePort.Next();
        // The test project references the app, so its build output (dll, runtimeconfig, deps, appsettings) is next to ours.
        var folder = AppContext.BaseDirectory;
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(folder, "Webhooks.Functions.dll"));
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment.Remove("FUNCTIONS_CUSTOMHANDLER_PORT");

        _process?.Dispose();
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        ProcessId = process.Id;
        Starts++;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Keep($"--- start {Starts}: pid {process.Id}, {BaseAddress} ---");
        await WaitHealthyAsync(process);
    }

    /// <summary>SIGKILL of the process tree, like a host dying: nothing in flight gets to finish.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited)
        {
            throw new InvalidOperationException("The app is not running: " + RecentOutput);
        }
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        Kills++;
        Keep($"--- killed (kill {Kills}) ---");
    }

    /// <summary>An HTTP client for the current process, authenticated as <paramref name="apiKey"/> when given.</summary>
    public HttpClient Client(string? apiKey = TestApp.DevApiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        return client;
    }

    private async Task WaitHealthyAsync(Process process)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var started = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {process.ExitCode} while starting:\n{RecentOutput}");
            }
            try
            {
                using var response = await client.GetAsync("/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but not answering yet.
            }
            if (started.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"The app did not become healthy within {StartTimeout}:\n{RecentOutput}");
            }
            await Task.Delay(100);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        if (_capture?.Invoke(line) == true)
        {
            _captured.Enqueue(line);
        }
        while (_output.Count > KeptOutputLines && _output.TryDequeue(out _))
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
    }
}
