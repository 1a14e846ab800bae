using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Webhooks.Functions.Tests.Hosting.Worker;

/// <summary>
/// The checks the Azure Functions host makes on a function app's metadata when it loads it, each of which makes the
/// host refuse the function (the app starts, the function answers 404): read from azure-functions-host, where
/// <c>Utility</c> validates function and binding names and <c>ScriptHost.ValidateFunction</c> /
/// <c>ValidateHttpFunction</c> / <c>HttpRoutesConflict</c> and <c>HttpRouteFactory.TryAddRoute</c> validate HTTP
/// functions. Our build cannot run the host, so the tests apply the same rules to <c>functions.metadata</c>.
/// </summary>
internal static partial class FunctionsHostRules
{
    /// <summary>The route prefixes of the host's own API, whatever <c>routePrefix</c> is (in Azure as well).</summary>
    private static readonly string[] ReservedRoutePrefixes = ["admin", "runtime"];

    /// <summary>One broken rule: the function that breaks it, the rule's name and what is wrong.</summary>
    public sealed record Violation(string Function, string Rule, string Detail)
    {
        public override string ToString() => $"{Function}: {Rule}: {Detail}";
    }

    public static List<Violation> Check(IReadOnlyList<JsonElement> functions)
    {
        var violations = new List<Violation>();
        var seenNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var httpFunctions = new List<(string Name, string Route, string[] Methods)>();
        foreach (var function in functions)
        {
            var name = function.GetProperty("name").GetString() ?? "";
            if (!FunctionName().IsMatch(name) || name.Equals("host", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(new(name, "function name", "must start with a letter, hold only letters, digits, '_' and '-', be at most 128 characters and not be 'host'."));
            }
            if (!seenNames.Add(name))
            {
                violations.Add(new(name, "unique function name", "another function has the same name (names are compared ignoring case)."));
            }
            foreach (var binding in function.GetProperty("bindings").EnumerateArray())
            {
                CheckBinding(name, binding, violations, httpFunctions);
            }
        }

        for (var i = 0; i < httpFunctions.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (RoutesConflict(httpFunctions[i], httpFunctions[j]))
                {
                    violations.Add(new(httpFunctions[i].Name, "route conflict",
                        $"route '{httpFunctions[i].Route}' and a method of it are also those of function '{httpFunctions[j].Name}'."));
                }
            }
        }
        return violations;
    }

    private static void CheckBinding(string function, JsonElement binding, List<Violation> violations,
        List<(string Name, string Route, string[] Methods)> httpFunctions)
    {
        var bindingName = binding.TryGetProperty("name", out var nameElement) ? nameElement.GetString() ?? "" : "";
        if (!BindingName().IsMatch(bindingName))
        {
            violations.Add(new(function, "binding name", $"'{bindingName}' must be a letter then up to 127 letters or digits, or '$return'."));
        }
        if (binding.GetProperty("type").GetString() != "httpTrigger")
        {
            return;
        }

        // A trigger without a route is served at the function's name.
        var route = binding.TryGetProperty("route", out var routeElement) && routeElement.GetString() is { Length: > 0 } declared ? declared : function;
        var trimmed = route.Trim('/');
        if (ReservedRoutePrefixes.FirstOrDefault(p => trimmed.StartsWith(p, StringComparison.OrdinalIgnoreCase)) is { } reserved)
        {
            violations.Add(new(function, "reserved route", $"route '{route}' begins with '{reserved}', which the host keeps for its own API."));
        }
        try
        {
            RoutePatternFactory.Parse(trimmed);
        }
        catch (RoutePatternException e)
        {
            violations.Add(new(function, "route template", $"route '{route}' is not a valid template: {e.Message}"));
        }
        var methods = binding.TryGetProperty("methods", out var methodsElement) && methodsElement.ValueKind == JsonValueKind.Array
            ? methodsElement.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToArray()
            : [];
        httpFunctions.Add((function, trimmed, methods));
    }

    /// <summary>The same route (ignoring case and outer slashes) with a method in common; no methods means every method.</summary>
    private static bool RoutesConflict((string Name, string Route, string[] Methods) a, (string Name, string Route, string[] Methods) b) =>
        string.Equals(a.Route, b.Route, StringComparison.OrdinalIgnoreCase)
        && (a.Methods.Length == 0 || b.Methods.Length == 0 || a.Methods.Intersect(b.Methods).Any());

    [GeneratedRegex(@"^[a-z][a-z0-9_\-]{0,127}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FunctionName();

    [GeneratedRegex(@"^([a-zA-Z][a-zA-Z0-9]{0,127}|\$return)$", RegexOptions.CultureInvariant)]
    private static partial Regex BindingName();
}
