namespace Webhooks.Functions.Tests.Infra;

/// <summary>Where the repository's deployment files are, found from the test's working directory.</summary>
internal static class InfraPaths
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string CompiledTemplate => Path.Combine(RepositoryRoot, "artifacts", "infra", "main.json");

    public static string BuildScript => Path.Combine(RepositoryRoot, "infra", "build-infra.sh");

    public static string AppProject => Path.Combine(RepositoryRoot, "src", "Webhooks.Functions");

    public static string HostJson => Path.Combine(RepositoryRoot, "host.json");

    public static string LocalSettingsSample => Path.Combine(RepositoryRoot, "local.settings.sample.json");

    public static string AzureYaml => Path.Combine(RepositoryRoot, "azure.yaml");

    public static string AzdParameters => Path.Combine(RepositoryRoot, "infra", "main.parameters.json");

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Webhooks.Functions.sln")) ||
                File.Exists(Path.Combine(directory.FullName, "global.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Webhooks.Functions.sln or global.json above {AppContext.BaseDirectory}.");
    }
}
