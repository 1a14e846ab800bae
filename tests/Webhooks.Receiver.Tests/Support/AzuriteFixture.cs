using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Webhooks.Receiver.Tests.Support;

/// <summary>
/// Starts a private, in-memory Azurite for the tests of the <c>Azurite</c> collection and stops it afterwards. Tests
/// isolate themselves with a table name of their own. Azurite binds port 0 and prints the table port it got, so no
/// other process can take a port picked for it beforehand.
/// </summary>
public sealed partial class AzuriteFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly TaskCompletionSource<int> _tableReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];
    private Process? _process;
    private string? _workDirectory;

    /// <summary>A connection string for the Table endpoint of this Azurite.</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _workDirectory = Directory.CreateTempSubdirectory("azurite-").FullName;
        var start = new ProcessStartInfo(ToolsDirectory.Bin("azurite"))
        {
            WorkingDirectory = _workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--silent", "--skipApiVersionCheck", "--loose", "--inMemoryPersistence", "--disableTelemetry",
            "--blobPort", "0", "--queuePort", "0", "--tablePort", "0",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        _process.ErrorDataReceived += (_, e) => OnOutput(e.Data);
        _process.Exited += (_, _) => _tableReady.TrySetException(
            new InvalidOperationException("Azurite exited before listening: " + string.Join('\n', Snapshot())));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var tablePort = await _tableReady.Task.WaitAsync(StartTimeout);
        ConnectionString =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
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

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (TableListening().Match(line) is { Success: true } match)
        {
            _tableReady.TrySetResult(int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture));
        }
    }

    private string[] Snapshot()
    {
        lock (_output)
        {
            return [.. _output];
        }
    }

    [GeneratedRegex(@"Table service is successfully listening at http://127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex TableListening();
}

/// <summary>The test classes that share one <see cref="AzuriteFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
