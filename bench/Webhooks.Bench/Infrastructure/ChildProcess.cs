using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Webhooks.Bench.Infrastructure;

/// <summary>
/// A process the bench started. Its output lines are handed to a callback; it is killed with its children on
/// dispose, on Ctrl+C and when the bench process exits, so nothing outlives a run.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<ChildProcess, bool> Running = new();
    private readonly Process _process;

    // Kept referenced for the life of the process: a collected registration stops handling its signal.
    private static readonly PosixSignalRegistration[] Signals =
    [
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillAll()),
        PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => KillAll()),
        PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => KillAll()),
    ];

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
    }

    private ChildProcess(Process process)
    {
        _process = process;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Waits until <paramref name="ready"/> completes; throws, naming <paramref name="what"/>, when the process exits
    /// first or <paramref name="limit"/> passes.
    /// </summary>
    public async Task WaitUntilReadyAsync(Task ready, string what, TimeSpan limit)
    {
        var started = Clock.Now;
        while (!ready.IsCompleted && !HasExited && Clock.SecondsSince(started) < limit.TotalSeconds)
        {
            await Task.WhenAny(ready, Task.Delay(100));
        }
        if (!ready.IsCompleted)
        {
            throw new InvalidOperationException(HasExited ? $"{what} exited while starting." : $"{what} did not start within {limit.TotalSeconds:0} s.");
        }
    }

    public static ChildProcess Start(
        string fileName, IEnumerable<string> arguments, Action<string> onOutput, Action<string> onError,
        string? workingDirectory = null, IDictionary<string, string>? environment = null, bool acceptsInput = false)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = acceptsInput,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var child = new ChildProcess(process);
        Running[child] = true;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onOutput(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onError(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Writes a line to the process's standard input (started with <c>acceptsInput</c>).</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for the process to exit by itself; kills it after <paramref name="timeout"/>. True if it exited in time.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync();
            return false;
        }
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
        Running.TryRemove(this, out _);
        _process.Dispose();
    }

    private static void KillAll()
    {
        foreach (var child in Running.Keys)
        {
            child.Kill();
        }
    }
}
