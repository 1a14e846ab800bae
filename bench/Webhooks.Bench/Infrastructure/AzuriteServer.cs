using System.Globalization;
using System.Text.RegularExpressions;

namespace Webhooks.Bench.Infrastructure;

/// <summary>
/// The pinned Azurite from tools/node_modules, on ports of 127.0.0.1 it picks itself, with its data in a temporary
/// folder deleted at the end. Not in memory: Azurite's queue garbage collection (every 60 s) deletes in-memory extents
/// one by one with a scan of all of them each, which after a few thousand queue messages stalled every request to
/// Azurite for 30 s or more; on disk, messages share a few extent files.
/// </summary>
internal sealed partial class AzuriteServer : IAsyncDisposable
{
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly ChildProcess _process;
    private readonly string _dataFolder;

    private AzuriteServer(ChildProcess process, string dataFolder, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _dataFolder = dataFolder;
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    public int Pid => _process.Pid;

    public static async Task<AzuriteServer> StartAsync(string repositoryRoot)
    {
        var executable = Path.Combine(repositoryRoot, "tools", "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {executable}: run ./build.sh bench (it runs npm ci in tools/).");
        }
        var dataFolder = Directory.CreateTempSubdirectory("webhooks-bench-azurite-").FullName;
        // Port 0: Azurite binds ports of its own choosing and prints them, so no other process can take them first.
        string[] arguments =
        [
            "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--location", dataFolder,
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", "0", "--queuePort", "0", "--tablePort", "0",
        ];
        var listening = new Dictionary<string, int>(StringComparer.Ordinal);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = ChildProcess.Start(executable, arguments,
            line =>
            {
                if (ListeningLine().Match(line) is { Success: true } match)
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
            },
            line => Console.Error.WriteLine("azurite: " + line));
        try
        {
            await process.WaitUntilReadyAsync(ready.Task, "Azurite", TimeSpan.FromSeconds(60));
        }
        catch (InvalidOperationException)
        {
            await process.DisposeAsync();
            throw;
        }
        return new AzuriteServer(process, dataFolder, listening["Blob"], listening["Queue"], listening["Table"]);
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex ListeningLine();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the exiting process; the temporary folder is cleaned up by the OS in time.
        }
    }
}
