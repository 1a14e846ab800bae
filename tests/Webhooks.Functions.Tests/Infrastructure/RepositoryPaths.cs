namespace Webhooks.Functions.Tests.Infrastructure;

public static class RepositoryPaths
{
    /// <summary>The checkout's root: the first folder above the test assembly that holds Webhooks.Functions.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string Tools => Path.Combine(Root, "tools");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Webhooks.Functions.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Webhooks.Functions.sln not found above " + AppContext.BaseDirectory);
    }
}
