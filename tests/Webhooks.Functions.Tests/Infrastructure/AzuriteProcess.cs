using System.Globalization;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// A real Azurite started from tools/node_modules, in one of two layouts. Ports are Azurite's own choice where it
/// reports them (a port picked free beforehand can be taken by another process on a busy machine before Azurite binds it).
/// <para>
/// <b>Split</b> (<see cref="Shared"/>, <see cref="StartSplitAsync"/>): its three services as three processes, tables
/// in memory, queues and blobs on disk in a temporary folder. Azurite serves a process on one Node thread, so a request
/// waits behind whatever else that process is doing. On disk, the table store serializes its whole database to JSON
/// every 5 s (9 MB by the end of a run; with the queue and blob saves a tenth of Azurite's CPU in a profile of a full
/// run); in memory, the queue store's garbage collection once a minute deletes extents one at a time, each with a scan
/// of all of them (30 s+ after a few thousand messages). Split, neither happens, and a busy table service no longer
/// holds up queue and blob calls, nor the reverse.
/// </para>
/// <para>
/// <b>On disk</b> (<see cref="StartOnDiskAsync"/>): one process with everything on disk, which <see cref="StopAsync"/>
/// and <see cref="StartAsync"/> stop and restart on the same ports and data, for the tests that simulate a storage outage.
/// Tables in memory would not survive the restart. The whole-database saves cost such an instance little: it holds
/// one test's rows, and no other test waits behind it.
/// </para>
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>One instance for the whole test run; each app under test isolates itself with its own Storage:Prefix.</summary>
    private static readonly Lazy<Task<AzuriteProcess>> SharedInstance = new(async () =>
    {
        var shared = await StartSplitAsync();
        // Its processes are killed at exit by AzuriteService, whose handler was added first and so runs first.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => shared.DeleteData();
        return shared;
    });

    private readonly string _dataFolder;
    private readonly bool _split;
    private readonly List<AzuriteService> _services = [];

    private AzuriteProcess(string dataFolder, bool split)
    {
        _dataFolder = dataFolder;
        _split = split;
    }

    public static Task<AzuriteProcess> Shared => SharedInstance.Value;

    /// <summary>0 until the first start; a restart binds the same ports again, since the apps' connection strings name them.</summary>
    public int BlobPort { get; private set; }
    public int QueuePort { get; private set; }
    public int TablePort { get; private set; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>An instance of the split layout of its own, for a test whose load would stall the shared one.</summary>
    public static async Task<AzuriteProcess> StartSplitAsync()
    {
        var azurite = new AzuriteProcess(Directory.CreateTempSubdirectory("webhooks-tests-azurite-").FullName, split: true);
        try
        {
            var blob = await AzuriteService.StartAsync("azurite-blob", ["--blobPort", "0", "--location", azurite.DataFolder("blob")], 1, azurite._dataFolder);
            azurite._services.Add(blob);
            var queue = await AzuriteService.StartAsync("azurite-queue", ["--queuePort", "0", "--location", azurite.DataFolder("queue")], 1, azurite._dataFolder);
            azurite._services.Add(queue);
            azurite._services.Add(await StartTableInMemoryAsync(azurite.DataFolder("table")));
            azurite.BlobPort = blob.Ports["Blob"];
            azurite.QueuePort = queue.Ports["Queue"];
            azurite.TablePort = azurite._services[^1].Ports["Table"];
            return azurite;
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>An all-on-disk instance that can be stopped and started again with its data (a storage outage).</summary>
    public static async Task<AzuriteProcess> StartOnDiskAsync()
    {
        var azurite = new AzuriteProcess(Directory.CreateTempSubdirectory("webhooks-tests-azurite-disk-").FullName, split: false);
        try
        {
            await azurite.StartAsync();
            return azurite;
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the on-disk instance (again): the first start picks the ports, a restart binds the same ones.</summary>
    public async Task StartAsync()
    {
        if (_split)
        {
            throw new InvalidOperationException("Only the on-disk layout can be restarted: its tables in memory would be lost.");
        }
        if (_services.Count > 0)
        {
            throw new InvalidOperationException("Azurite is already running.");
        }
        var service = await AzuriteService.StartAsync("azurite",
            ["--blobPort", Port(BlobPort), "--queuePort", Port(QueuePort), "--tablePort", Port(TablePort), "--location", _dataFolder], 3, _dataFolder);
        _services.Add(service);
        (BlobPort, QueuePort, TablePort) = (service.Ports["Blob"], service.Ports["Queue"], service.Ports["Table"]);
    }

    public async Task StopAsync()
    {
        foreach (var service in _services)
        {
            await service.StopAsync();
        }
        _services.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        DeleteData();
    }

    /// <summary>
    /// azurite-table reports the port it was given, not the one it got: it gets a port picked free, and another one
    /// should a process take that port first.
    /// </summary>
    private static async Task<AzuriteService> StartTableInMemoryAsync(string workingDirectory)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AzuriteService.StartAsync("azurite-table",
                    ["--inMemoryPersistence", "--tablePort", Port(FreePort.Next())], 1, workingDirectory);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // The port was taken between picking and binding: pick another.
            }
        }
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private string DataFolder(string service) => Directory.CreateDirectory(Path.Combine(_dataFolder, service)).FullName;

    private void DeleteData()
    {
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // Azurite may still hold a file for a moment; it is a temporary folder.
        }
    }
}
