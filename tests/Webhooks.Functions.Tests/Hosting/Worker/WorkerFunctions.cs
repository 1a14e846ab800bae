using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Webhooks.Functions.Tests.Hosting.Worker;

/// <summary>The [Function] methods of the app, read by reflection the way the worker SDK's generators find them.</summary>
internal static class WorkerFunctions
{
    public static IReadOnlyList<MethodInfo> All { get; } = typeof(Webhooks.Functions.Hosting.AppHost).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
        .ToList();

    /// <summary>Each HTTP function: its name, its method (upper case), its route, and the method itself.</summary>
    public static IReadOnlyList<(string Name, string Method, string Route, MethodInfo Function)> Http { get; } = All
        .Select(m => (Function: m, Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).SingleOrDefault(a => a is not null)))
        .Where(f => f.Trigger is not null)
        .SelectMany(f => f.Trigger!.Methods!.Select(method =>
            (f.Function.GetCustomAttribute<FunctionAttribute>()!.Name, method.ToUpperInvariant(), f.Trigger.Route!, f.Function)))
        .ToList();

    /// <summary>A path that matches <paramref name="route"/>: every parameter filled with a well-formed id that does not exist.</summary>
    public static string PathFor(string route) => "/" + string.Join('/', route.Split('/')
        .Select(segment => segment switch
        {
            "{documentName?}" => "",
            _ => segment.Replace("{documentName}", "v1", StringComparison.Ordinal)
                .Replace("{id}", "batch_0000000000000000", StringComparison.Ordinal)
                .Replace("{item}", "0", StringComparison.Ordinal),
        })
        .Where(segment => segment.Length > 0));
}
