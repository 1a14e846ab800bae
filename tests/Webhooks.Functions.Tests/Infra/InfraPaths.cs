namespace Webhooks.Functions.Tests.Infra;

/// <summary>Where the repository's deployment files are, found from the test's working directory.</summary>
internal static class InfraPaths
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string CompiledTemplate => Path.Combine(RepositoryRoot, "artifacts", "infra", "main.json");

    public static string BuildScript => Path.Combine(RepositoryRoot, "infra", "build-infra.sh");

    public static string HostJson => Path.Combine(RepositoryRoot, "host.json");

    public static string FunctionJson(string functionName) =>
        Path.Combine(RepositoryRoot, "functions", functionName, "function.json");

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
