using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// A real Azurite started from tools/node_modules, with its data on disk. <see cref="Shared"/> is one instance for the
/// whole test run (each app under test isolates itself with its own Storage:Prefix); tests that stop and start storage
/// make their own, so that a restart keeps their data. Azurite binds port 0 and prints the ports it got: a port picked free
/// beforehand can be taken by anything else on a busy machine before Azurite binds it.
/// </summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    // On disk, not in memory: Azurite's queue garbage collection (every 60 s) deletes in-memory extents one by one with
    // a scan of all of them each, which after a few thousand queue messages stalled every request for tens of seconds.
    private static readonly Lazy<Task<AzuriteProcess>> SharedInstance = new(() =>
        StartAsync(Directory.CreateTempSubdirectory("webhooks-tests-azurite-").FullName, deleteWhenDone: true));
    private readonly string _dataFolder;
    private Process? _process;

    private AzuriteProcess(string dataFolder) => _dataFolder = dataFolder;

    public static Task<AzuriteProcess> Shared => SharedInstance.Value;

    /// <summary>0 until the first start; a restart binds the same ports again, since the apps' connection strings name them.</summary>
    public int BlobPort { get; private set; }
    public int QueuePort { get; private set; }
    public int TablePort { get; private set; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    public static async Task<AzuriteProcess> StartAsync(string dataFolder, bool deleteWhenDone = false)
    {
        var azurite = new AzuriteProcess(dataFolder);
        await azurite.StartAsync();
        if (deleteWhenDone)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                azurite.Kill();
                try
                {
                    Directory.Delete(dataFolder, recursive: true);
                }
                catch (IOException)
                {
                    // Azurite may still hold a file for a moment; it is a temporary folder.
                }
            };
        }
        return azurite;
    }

    public async Task StartAsync()
    {
        var executable = Path.Combine(RepositoryPaths.Tools, "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {executable}: run ./build.sh test (it runs npm ci in tools/).");
        }
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
                     "--blobPort", BlobPort.ToString(), "--queuePort", QueuePort.ToString(), "--tablePort", TablePort.ToString() })
        {
            info.ArgumentList.Add(arg);
        }
        Directory.CreateDirectory(_dataFolder);
        info.ArgumentList.Add("--location");
        info.ArgumentList.Add(_dataFolder);
        var listening = new Dictionary<string, int>(StringComparer.Ordinal);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Text.StringBuilder();
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null && ListeningLine().Match(line.Data) is { Success: true } match)
            {
                lock (listening)
                {
                    listening[match.Groups["service"].Value] = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
                    if (listening.Count == 3)
                    {
                        ready.TrySetResult();
                    }
                }
            }
        };
        _process.ErrorDataReceived += (_, line) =>
        {
            lock (errors)
            {
                errors.AppendLine(line.Data);
            }
        };
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"Azurite exited while starting: {errors}"));
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        (BlobPort, QueuePort, TablePort) = (listening["Blob"], listening["Queue"], listening["Table"]);
    }

    public async Task StopAsync()
    {
        Kill();
        if (_process is not null)
        {
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private void Kill()
    {
        try
        {
            _process?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
