using System.Diagnostics;
using System.Text;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>Runs a program to its end and hands back its exit code with stdout and stderr interleaved as they came.</summary>
public static class ChildProcess
{
    /// <summary>Not an assertion on speed: a hung tool must end the test with its output rather than hang the suite.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(10);

    public static async Task<(int ExitCode, string Output)> RunAsync(
        string program, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var guard = new CancellationTokenSource(HangGuard);
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not end within {HangGuard}: {Read()}");
        }
        process.WaitForExit();
        return (process.ExitCode, Read());

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }

        string Read()
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }
}
