namespace Webhooks.Receiver.Tests.Support;

/// <summary>Finds the repository's pinned Node tools (<c>tools/package.json</c>, <c>tools/node_modules</c>).</summary>
public static class ToolsDirectory
{
    /// <summary>
    /// Walks up from the test assembly's folder to the first folder that has <c>tools/package.json</c> and returns that
    /// <c>tools</c> folder.
    /// </summary>
    /// <exception cref="InvalidOperationException">No such folder above the test assembly.</exception>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var tools = Path.Combine(dir.FullName, "tools");
            if (File.Exists(Path.Combine(tools, "package.json")))
            {
                return tools;
            }
        }

        throw new InvalidOperationException($"No tools/package.json above {AppContext.BaseDirectory}; run 'npm ci' in tools/.");
    }

    /// <summary>The path of an installed package's binary in <c>tools/node_modules/.bin</c>, checked to exist.</summary>
    public static string Bin(string name)
    {
        var path = Path.Combine(Find(), "node_modules", ".bin", name);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing; run 'npm ci' in tools/.");
    }
}
