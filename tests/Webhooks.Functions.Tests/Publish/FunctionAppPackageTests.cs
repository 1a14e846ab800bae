using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Publish;

/// <summary>
/// <c>./build.sh publish</c> for real: <c>dotnet publish</c> of the app (without building again: the test build already
/// built it), zipped in the layout Flex Consumption's one-deploy takes: the publish output at the zip root, with the
/// Worker SDK's <c>functions.metadata</c>, <c>worker.config.json</c>, <c>extensions.json</c> and <c>.azurefunctions/</c>
/// next to <c>host.json</c>.
/// </summary>
public sealed class FunctionAppPackageTests : IDisposable
{
    private const int UnixRegularFile = 0x8000;
    private static readonly string AppProject = Path.Combine(RepositoryPaths.Root, "src", "Webhooks.Functions");

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
    public async Task Publish_ZipsThePublishOutputAtTheRoot_WithTheFunctionsHostFiles(string zipper)
    {
        var zipPath = Path.Combine(_work, zipper, "functionapp.zip");

        var (exitCode, output) = await RunPublishAsync(zipPath, zipper);

        Assert.True(exitCode == 0, output);
        using var zip = ZipFile.OpenRead(zipPath);
        var entries = zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToDictionary(e => e.FullName);
        foreach (var file in new[]
                 {
                     "Webhooks.Functions.dll", "Webhooks.Functions.deps.json", "Webhooks.Functions.runtimeconfig.json", "appsettings.json",
                     "host.json", "functions.metadata", "worker.config.json", "extensions.json",
                     ".azurefunctions/Microsoft.Azure.WebJobs.Extensions.FunctionMetadataLoader.dll",
                     ".azurefunctions/Microsoft.Azure.WebJobs.Extensions.Storage.Queues.dll",
                 })
        {
            Assert.True(entries.ContainsKey(file), $"{file} is not at its place in the package: {string.Join(", ", entries.Keys.Order())}");
        }
        // Development settings hold local-only keys, local settings are a developer's: neither reaches Azure.
        Assert.DoesNotContain(entries.Keys, e => e.StartsWith("appsettings.Development", StringComparison.Ordinal) || e.StartsWith("local.settings", StringComparison.Ordinal));
        Assert.All(entries.Values, e => Assert.Contains(Mode(e), new[] { UnixRegularFile | Convert.ToInt32("644", 8), UnixRegularFile | Convert.ToInt32("755", 8) }));

        Assert.Equal(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "host.json")), Read(entries["host.json"]));
        // GET /v1/event-types serves the repository's schemas/ as they are, from beside the app.
        foreach (var schema in Directory.GetFiles(EventSchemas.Folder, "*.json"))
        {
            var entry = "schemas/" + Path.GetFileName(schema);
            Assert.True(entries.ContainsKey(entry), $"{entry} is not at its place in the package");
            Assert.Equal(File.ReadAllBytes(schema), Read(entries[entry]));
        }
        Assert.Equal(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "functions.metadata")), Read(entries["functions.metadata"]));
        using var workerConfig = JsonDocument.Parse(Read(entries["worker.config.json"]));
        var description = workerConfig.RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        Assert.Equal("Webhooks.Functions.dll", description.GetProperty("defaultWorkerPath").GetString());
        using var extensions = JsonDocument.Parse(Read(entries["extensions.json"]));
        Assert.Contains(extensions.RootElement.GetProperty("extensions").EnumerateArray(),
            e => e.GetProperty("typeName").GetString()!.Contains("Storage.Queues", StringComparison.Ordinal));
    }

    private static async Task<(int ExitCode, string Output)> RunPublishAsync(string zipPath, string zipper)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "build.sh"));
        info.ArgumentList.Add("publish");
        info.Environment["WEBHOOKS_PUBLISH_OUT"] = zipPath;
        info.Environment["WEBHOOKS_PUBLISH_NO_BUILD"] = "1";
        info.Environment["WEBHOOKS_PUBLISH_CONFIGURATION"] =
            typeof(Webhooks.Functions.Hosting.AppHost).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        info.Environment["WEBHOOKS_PUBLISH_ZIPPER"] = zipper;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
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
