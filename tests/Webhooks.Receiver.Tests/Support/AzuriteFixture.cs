using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Webhooks.Receiver.Tests.Support;

/// <summary>
/// Starts a private Azurite table service, in memory, for the tests of the <c>Azurite</c> collection and stops it
/// afterwards. Tests isolate themselves with a table name of their own. Only tables: these tests use nothing else, and
/// a service in a process of its own waits behind no other (Azurite serves a whole process on one thread). In memory,
/// because on disk Azurite saves the whole table database every 5 s.
/// <c>azurite-table</c> reports the port it was given rather than the one it got, so it gets a port picked free, and
/// another one should a process take that port before Azurite binds it.
/// </summary>
public sealed partial class AzuriteFixture : IAsyncLifetime
{
    private const int StartAttempts = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly List<string> _output = [];
    private Process? _process;
    private string? _workDirectory;

    /// <summary>A connection string for the Table endpoint of this Azurite.</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _workDirectory = Directory.CreateTempSubdirectory("azurite-").FullName;
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            try
            {
                await StartAsync(port);
                break;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts)
            {
                // The port was taken between picking and binding: pick another.
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        if (_workDirectory is not null)
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
    }

    private async Task StartAsync(int port)
    {
        var start = new ProcessStartInfo(ToolsDirectory.Bin("azurite-table"))
        {
            WorkingDirectory = _workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--silent", "--skipApiVersionCheck", "--loose", "--inMemoryPersistence", "--disableTelemetry",
            "--tablePort", port.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnOutput(e.Data, ready);
        process.ErrorDataReceived += (_, e) => OnOutput(e.Data, ready);
        process.Exited += (_, _) => ready.TrySetException(
            new InvalidOperationException("Azurite exited before listening: " + string.Join('\n', Snapshot())));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        await ready.Task.WaitAsync(StartTimeout);
        ConnectionString =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void OnOutput(string? line, TaskCompletionSource ready)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (TableStarted().IsMatch(line))
        {
            ready.TrySetResult();
        }
    }

    private string[] Snapshot()
    {
        lock (_output)
        {
            return [.. _output];
        }
    }

    [GeneratedRegex(@"Azurite Table service successfully started on 127\.0\.0\.1:\d+")]
    private static partial Regex TableStarted();
}

/// <summary>The test classes that share one <see cref="AzuriteFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
