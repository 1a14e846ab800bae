namespace Webhooks.Bench.Infrastructure;

/// <summary>How to start this executable again in another role (the receiver, a worker, an app or engine process).</summary>
internal static class SelfCommand
{
    /// <summary>The file to run and the arguments before the role: <c>dotnet Webhooks.Bench.dll</c> or the apphost itself.</summary>
    public static (string File, string[] Prefix) Get()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        return Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? (path, [typeof(SelfCommand).Assembly.Location])
            : (path, []);
    }
}
