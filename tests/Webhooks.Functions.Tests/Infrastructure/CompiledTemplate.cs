using System.Diagnostics;
using System.Text.Json;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// <c>artifacts/infra/main.json</c>, the ARM template the Bicep CLI compiles from <c>infra/main.bicep</c>. Built by
/// <c>infra/build-infra.sh</c> on first use when the file is missing.
/// </summary>
internal static class CompiledTemplate
{
    private static readonly Lazy<JsonDocument> Document = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static JsonElement Root => Document.Value.RootElement;

    public static string Text => Root.GetRawText();

    public static IReadOnlyList<ArmResource> All(string type)
    {
        var found = new List<ArmResource>();
        Collect(Root, new Dictionary<string, string>(StringComparer.Ordinal), found);
        return found.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase) && !r.IsExisting).ToList();
    }

    public static ArmResource Single(string type)
    {
        var resources = All(type);
        Assert.True(resources.Count == 1, $"expected exactly one {type}, found {resources.Count}");
        return resources[0];
    }

    private static void Collect(JsonElement node, Dictionary<string, string> variables, List<ArmResource> found)
    {
        if (node.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in node.EnumerateArray())
            {
                Collect(item, variables, found);
            }

            return;
        }

        if (node.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (node.TryGetProperty("$schema", out _) && node.TryGetProperty("resources", out _))
        {
            variables = ReadVariables(node);
        }

        if (node.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String &&
            node.TryGetProperty("apiVersion", out var apiVersion) && apiVersion.ValueKind == JsonValueKind.String)
        {
            found.Add(new ArmResource(node, variables));
        }

        foreach (var property in node.EnumerateObject())
        {
            Collect(property.Value, variables, found);
        }
    }

    private static Dictionary<string, string> ReadVariables(JsonElement template)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (template.TryGetProperty("variables", out var declared) && declared.ValueKind == JsonValueKind.Object)
        {
            foreach (var variable in declared.EnumerateObject().Where(v => v.Value.ValueKind == JsonValueKind.String))
            {
                variables[variable.Name] = variable.Value.GetString()!;
            }
        }

        return variables;
    }

    private static JsonDocument Load()
    {
        if (!File.Exists(InfraPaths.CompiledTemplate))
        {
            Build();
        }

        return JsonDocument.Parse(File.ReadAllText(InfraPaths.CompiledTemplate));
    }

    private static void Build()
    {
        var start = new ProcessStartInfo("bash", [InfraPaths.BuildScript])
        {
            WorkingDirectory = InfraPaths.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("infra/build-infra.sh did not finish within 5 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"infra/build-infra.sh failed with exit code {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
        }
    }
}
