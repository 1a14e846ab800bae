using System.Globalization;
using System.Text.Json;

namespace Webhooks.Bench.Infrastructure;

/// <summary>How a child role starts: it ends with the process that started it, and reads its input from its environment.</summary>
internal static class RoleStart
{
    /// <summary>Watches the parent whose pid is the first argument (if any) and returns the JSON input in <paramref name="variable"/>.</summary>
    public static T WatchParentAndReadInput<T>(string[] args, string variable)
    {
        if (args.Length > 0)
        {
            ParentWatch.ExitWhenGone(int.Parse(args[0], CultureInfo.InvariantCulture));
        }
        return JsonSerializer.Deserialize<T>(Environment.GetEnvironmentVariable(variable) ?? "")
            ?? throw new InvalidOperationException(variable + " is not set.");
    }
}
