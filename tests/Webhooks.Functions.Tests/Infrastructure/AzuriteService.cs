using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// One Azurite process from tools/node_modules/.bin: <c>azurite</c> (all three services) or one of <c>azurite-table</c>,
/// <c>azurite-queue</c>, <c>azurite-blob</c>. Started, it has printed the port of each service it runs. Whatever is
/// still running when the test process exits is killed then.
/// </summary>
internal sealed partial class AzuriteService
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly ConcurrentDictionary<AzuriteService, bool> Running = new();
    private readonly Process _process;

    // The test host gets a fraction of a second to exit once the run is over: one kill each, no process tree walks
    // (an Azurite service is one node process), or the last ones started outlive the run.
    static AzuriteService() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var service in Running.Keys)
        {
            service.Kill();
        }
    };

    private AzuriteService(Process process, IReadOnlyDictionary<string, int> ports)
    {
        _process = process;
        Ports = ports;
    }

    /// <summary>The port of each service by name (<c>Blob</c>, <c>Queue</c>, <c>Table</c>).</summary>
    public IReadOnlyDictionary<string, int> Ports { get; }

    /// <summary>
    /// Starts <paramref name="executable"/> in <paramref name="workingDirectory"/> (where a service in memory, which may
    /// not be given a <c>--location</c>, would write anything) and waits until it has printed <paramref name="services"/> ports.
    /// </summary>
    public static async Task<AzuriteService> StartAsync(string executable, IEnumerable<string> arguments, int services, string workingDirectory)
    {
        var path = Path.Combine(RepositoryPaths.Tools, "node_modules", ".bin", executable);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Azurite is not installed at {path}: run ./build.sh test (it runs npm ci in tools/).");
        }
        var info = new ProcessStartInfo(path)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry", .. arguments])
        {
            info.ArgumentList.Add(argument);
        }
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new StringBuilder();
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null && ListeningLine().Match(line.Data) is { Success: true } match)
            {
                lock (ports)
                {
                    ports[match.Groups["service"].Value] = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
                    if (ports.Count == services)
                    {
                        ready.TrySetResult();
                    }
                }
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            lock (errors)
            {
                errors.AppendLine(line.Data);
            }
        };
        process.Exited += (_, _) =>
        {
            lock (errors)
            {
                ready.TrySetException(new InvalidOperationException($"{executable} exited while starting: {errors}"));
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new AzuriteService(process, ports);
        Running[service] = true;
        try
        {
            await ready.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            await service.StopAsync();
            throw new InvalidOperationException($"{executable} did not start within {StartTimeout.TotalSeconds:0} s.");
        }
        catch (InvalidOperationException)
        {
            // It exited while starting (a port taken, say): nothing left to kill at exit.
            await service.StopAsync();
            throw;
        }
        return service;
    }

    public async Task StopAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
        Running.TryRemove(this, out _);
    }

    private void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    // "Azurite Table service is successfully listening at http://127.0.0.1:PORT" (azurite, one line per service),
    // "Azurite Queue service successfully listens on http://127.0.0.1:PORT" (azurite-queue, azurite-blob) and
    // "Azurite Table service successfully started on 127.0.0.1:PORT" (azurite-table: the port it was given).
    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service (is successfully listening at http://|successfully listens on http://|successfully started on )127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
