using System.Diagnostics;
using System.IO.Compression;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Publish;

/// <summary>
/// <c>./build.sh publish</c>'s packaging step, run for real on a publish folder made of the app's own build output
/// (its native app host, assembly and settings files, as this test project's build copied them). The full
/// self-contained <c>dotnet publish</c> in front of it takes about 40 s here and is run by hand instead; with
/// <c>WEBHOOKS_PUBLISH_APP</c> and <c>WEBHOOKS_PUBLISH_OUT</c> the script skips it and writes elsewhere.
/// </summary>
public sealed class FunctionAppPackageTests : IDisposable
{
    private const string Executable = "Webhooks.Functions";
    private const int UnixRegularFile = 0x8000;
    private static readonly string[] Functions = ["http", "jobs", "deliveries", "sweeper"];
    private static readonly string[] AppFiles =
    [
        Executable, "Webhooks.Functions.dll", "Webhooks.Functions.deps.json", "Webhooks.Functions.runtimeconfig.json",
        "appsettings.json", "appsettings.Development.json",
    ];

    private readonly string _work = Directory.CreateTempSubdirectory("webhooks-package-").FullName;

    public static TheoryData<string> Zippers()
    {
        // python3 is the fallback every supported Linux has; zip is used first wherever it is installed.
        var zippers = new TheoryData<string> { "python3" };
        if (File.Exists("/usr/bin/zip"))
        {
            zippers.Add("zip");
        }
        return zippers;
    }

    [Theory]
    [MemberData(nameof(Zippers))]
    public async Task Publish_FromPublishFolder_ZipsAppFunctionsAndHostJsonAtTheRoot(string zipper)
    {
        var app = FakePublishFolder();
        var zipPath = Path.Combine(_work, "out", "functionapp.zip");

        var (exitCode, output) = await RunPublishAsync(app, zipPath, zipper);

        Assert.True(exitCode == 0, output);
        using var zip = ZipFile.OpenRead(zipPath);
        var entries = zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToDictionary(e => e.FullName);
        // Development settings hold local-only keys and never reach Azure.
        Assert.DoesNotContain("appsettings.Development.json", entries.Keys);
        var expected = AppFiles.Where(f => f != "appsettings.Development.json").Concat(["host.json"]).Concat(Functions.Select(f => f + "/function.json")).Concat(["runtimes/linux-x64/native/marker.txt"]);
        Assert.Equal(expected.Order(StringComparer.Ordinal), entries.Keys.Order(StringComparer.Ordinal));

        var executable = entries[Executable];
        Assert.Equal(UnixRegularFile | Convert.ToInt32("755", 8), Mode(executable));
        Assert.Equal(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, Executable)), Read(executable));
        Assert.All(entries.Values.Where(e => e != executable), e => Assert.Equal(UnixRegularFile | Convert.ToInt32("644", 8), Mode(e)));

        Assert.Equal(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "host.json")), Read(entries["host.json"]));
        Assert.All(Functions, f => Assert.Equal(
            File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "functions", f, "function.json")), Read(entries[f + "/function.json"])));
    }

    [Fact]
    public async Task Publish_FolderWithoutTheExecutable_FailsNamingIt()
    {
        var app = FakePublishFolder();
        File.Delete(Path.Combine(app, Executable));
        var zipPath = Path.Combine(_work, "functionapp.zip");

        var (exitCode, output) = await RunPublishAsync(app, zipPath, "python3");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Webhooks.Functions is missing", output, StringComparison.Ordinal);
        Assert.False(File.Exists(zipPath));
    }

    /// <summary>The files a publish of the app holds, taken from the app's real build output, plus a nested folder.</summary>
    private string FakePublishFolder()
    {
        var app = Directory.CreateDirectory(Path.Combine(_work, "app")).FullName;
        foreach (var file in AppFiles)
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, file), Path.Combine(app, file));
        }
        var native = Directory.CreateDirectory(Path.Combine(app, "runtimes", "linux-x64", "native")).FullName;
        File.WriteAllText(Path.Combine(native, "marker.txt"), "nested folders keep their path");
        return app;
    }

    private static async Task<(int ExitCode, string Output)> RunPublishAsync(string app, string zipPath, string zipper)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "build.sh"));
        info.ArgumentList.Add("publish");
        info.Environment["WEBHOOKS_PUBLISH_APP"] = app;
        info.Environment["WEBHOOKS_PUBLISH_OUT"] = zipPath;
        info.Environment["WEBHOOKS_PUBLISH_ZIPPER"] = zipper;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The Unix file type and permissions, kept in the upper half of a zip entry's external attributes.</summary>
    private static int Mode(ZipArchiveEntry entry) => (int)((uint)entry.ExternalAttributes >> 16);

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
