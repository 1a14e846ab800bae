using System.Net.Sockets;

namespace Webhooks.Bench.Infrastructure;

/// <summary>The pinned Azurite from tools/node_modules, in memory, on free ports of 127.0.0.1, for one bench run.</summary>
internal sealed class AzuriteServer : IAsyncDisposable
{
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly ChildProcess _process;

    private AzuriteServer(ChildProcess process, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
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
        int[] ports = [FreePort.Next(), FreePort.Next(), FreePort.Next()];
        string[] arguments =
        [
            "--silent", "--skipApiVersionCheck", "--loose", "--inMemoryPersistence", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queuePort", ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tablePort", ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        var process = ChildProcess.Start(executable, arguments, _ => { }, line => Console.Error.WriteLine("azurite: " + line));
        var server = new AzuriteServer(process, ports[0], ports[1], ports[2]);
        try
        {
            await WaitForPortsAsync(process, ports);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    private static async Task WaitForPortsAsync(ChildProcess process, int[] ports)
    {
        var started = Clock.Now;
        foreach (var port in ports)
        {
            while (true)
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
                    break;
                }
                catch (SocketException) when (Clock.SecondsSince(started) < 60 && !process.HasExited)
                {
                    await Task.Delay(50);
                }
            }
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
