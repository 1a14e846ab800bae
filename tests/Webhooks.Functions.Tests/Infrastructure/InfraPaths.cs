namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>Where the repository's deployment files are, found from the test's working directory.</summary>
internal static class InfraPaths
{
    public static string RepositoryRoot => RepositoryPaths.Root;

    public static string CompiledTemplate => Path.Combine(RepositoryRoot, "artifacts", "infra", "main.json");

    public static string BuildScript => Path.Combine(RepositoryRoot, "infra", "build-infra.sh");

    public static string AppProject => Path.Combine(RepositoryRoot, "src", "Webhooks.Functions");

    public static string HostJson => Path.Combine(RepositoryRoot, "host.json");

    public static string LocalSettingsSample => Path.Combine(RepositoryRoot, "local.settings.sample.json");

    public static string AzureYaml => Path.Combine(RepositoryRoot, "azure.yaml");

    public static string AzdParameters => Path.Combine(RepositoryRoot, "infra", "main.parameters.json");
}
