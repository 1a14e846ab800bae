using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Webhooks.Bench.Infrastructure;

/// <summary>
/// The pinned Azurite from tools/node_modules for one scenario, as its three services in processes of their own:
/// tables in memory, queues and blobs on disk in a temporary folder deleted at the end.
/// <para>
/// Why not one process in memory: Azurite 3.35's queue garbage collection runs every 60 s and deletes in-memory
/// extents one at a time, each with a scan of all of them; after a few thousand queue messages it stalled every
/// request for 30 s or more. Why not all on disk: the table database is then saved whole every few seconds, which
/// made a run slower the more rows it had written (throughput fell by half within one scenario).
/// </para>
/// </summary>
internal sealed partial class AzuriteServer : IAsyncDisposable
{
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly ChildProcess[] _processes;
    private readonly string _dataFolder;

    private AzuriteServer(ChildProcess[] processes, string dataFolder, int blobPort, int queuePort, int tablePort)
    {
        _processes = processes;
        _dataFolder = dataFolder;
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    /// <summary>The processes of the three services: Azurite's CPU is their sum.</summary>
    public int[] Pids => [.. _processes.Select(p => p.Pid)];

    /// <param name="repositoryRoot">Where tools/node_modules is.</param>
    /// <param name="queueStoreFixed">
    /// Run the queue service from a copy with <see cref="QueueStoreFix"/> applied: for a scenario that holds thousands of
    /// messages, whose every other queue operation would otherwise measure Azurite's index sorting.
    /// </param>
    public static async Task<AzuriteServer> StartAsync(string repositoryRoot, bool queueStoreFixed = false)
    {
        var modules = Path.Combine(repositoryRoot, "tools", "node_modules");
        var bin = Path.Combine(modules, ".bin");
        if (!File.Exists(Path.Combine(bin, "azurite-table")))
        {
            throw new InvalidOperationException($"Azurite is not installed in {bin}: run ./build.sh bench (it runs npm ci in tools/).");
        }
        var dataFolder = Directory.CreateTempSubdirectory("webhooks-bench-azurite-").FullName;
        var started = new List<ChildProcess>();
        try
        {
            // Blob and queue bind port 0 and print the port they got. The table service prints only the port it was
            // given, so it gets a free one and, should another process take it first, another.
            var (blob, blobPort) = await StartServiceAsync(bin, "blob", ["--location", Path.Combine(dataFolder, "blob"), "--blobPort", "0"], null);
            started.Add(blob);
            var queueOptions = new[] { "--location", Path.Combine(dataFolder, "queue"), "--queuePort", "0" };
            var (queue, queuePort) = queueStoreFixed
                ? await StartServiceAsync(QueueStoreFix.CopyAndApply(modules, dataFolder), "queue", queueOptions, null)
                : await StartServiceAsync(bin, "queue", queueOptions, null);
            started.Add(queue);
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort();
                try
                {
                    var (table, tablePort) = await StartServiceAsync(bin, "table", ["--inMemoryPersistence", "--tablePort", port.ToString(CultureInfo.InvariantCulture)], port);
                    started.Add(table);
                    return new AzuriteServer([.. started], dataFolder, blobPort, queuePort, tablePort);
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                    // The port was taken between picking and binding: pick another.
                }
            }
        }
        catch
        {
            foreach (var process in started)
            {
                await process.DisposeAsync();
            }
            throw;
        }
    }

    private static Task<(ChildProcess Process, int Port)> StartServiceAsync(string bin, string service, string[] options, int? knownPort) =>
        StartServiceAsync(new ServiceCommand(Path.Combine(bin, "azurite-" + service), [], null), service, options, knownPort);

    private static async Task<(ChildProcess Process, int Port)> StartServiceAsync(ServiceCommand command, string service, string[] options, int? knownPort)
    {
        int? port = null;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string[] arguments = [.. command.Arguments, "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry", $"--{service}Host", "127.0.0.1", .. options];
        var process = ChildProcess.Start(command.File, arguments,
            line =>
            {
                if (ReadyLine().Match(line) is { Success: true } match)
                {
                    port = knownPort ?? int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
                    ready.TrySetResult();
                }
            },
            line => Console.Error.WriteLine($"azurite-{service}: " + line),
            environment: command.Environment);
        try
        {
            await process.WaitUntilReadyAsync(ready.Task, "Azurite's " + service + " service", TimeSpan.FromSeconds(60));
        }
        catch (InvalidOperationException)
        {
            await process.DisposeAsync();
            throw;
        }
        return (process, port!.Value);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // "… service successfully listens on http://127.0.0.1:PORT" (blob, queue), "… successfully started on 127.0.0.1:PORT" (table).
    [GeneratedRegex(@"service successfully (listens on http://|started on )127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex ReadyLine();

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by an exiting process; the temporary folder is cleaned up by the OS in time.
        }
    }
}
