using System.Diagnostics;
using System.Net.Sockets;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// A real Azurite started from tools/node_modules on free ports. <see cref="Shared"/> is one in-memory instance for
/// the whole test run (each app under test isolates itself with its own Storage:Prefix); tests that stop and start
/// storage make their own, with on-disk data so a restart keeps it.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly Lazy<Task<AzuriteProcess>> SharedInstance = new(() => StartAsync(dataFolder: null));
    private readonly string? _dataFolder;
    private Process? _process;

    private AzuriteProcess(string? dataFolder)
    {
        _dataFolder = dataFolder;
        BlobPort = FreePort.Next();
        QueuePort = FreePort.Next();
        TablePort = FreePort.Next();
    }

    public static Task<AzuriteProcess> Shared => SharedInstance.Value;

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    public static async Task<AzuriteProcess> StartAsync(string? dataFolder)
    {
        var azurite = new AzuriteProcess(dataFolder);
        await azurite.StartAsync();
        if (dataFolder is null)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => azurite.Kill();
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
        if (_dataFolder is null)
        {
            info.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(_dataFolder);
            info.ArgumentList.Add("--location");
            info.ArgumentList.Add(_dataFolder);
        }
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitForPortsAsync();
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

    private async Task WaitForPortsAsync()
    {
        var deadline = Stopwatch.StartNew();
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            while (true)
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync("127.0.0.1", port);
                    break;
                }
                catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(30) && _process is { HasExited: false })
                {
                    await Task.Delay(50);
                }
            }
        }
    }
}
