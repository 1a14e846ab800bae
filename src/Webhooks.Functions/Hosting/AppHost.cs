using Webhooks.Functions.Hosting.Worker;

namespace Webhooks.Functions.Hosting;

/// <summary>
/// The composition root's one decision: one executable, two hosts. Started by the Azure Functions host it is a .NET
/// isolated worker (<see cref="WorkerApp"/>); started any other way it is the standalone ASP.NET Core app
/// (<see cref="WebhooksApp"/>). Both run the same services, the same HTTP pipeline and the same queue and timer handlers;
/// nothing past this class asks which host it is.
/// </summary>
internal static class AppHost
{
    /// <summary>
    /// The switch through which the Functions host hands a .NET isolated worker its gRPC endpoint; the worker cannot
    /// reach its host without it, and nothing else passes it.
    /// </summary>
    public const string FunctionsHostEndpointSwitch = "--functions-uri";

    public static Task RunAsync(string[] args) => IsStartedByFunctionsHost(args)
        ? WorkerApp.Build(args).RunAsync()
        : WebhooksApp.Build(WebhooksApp.CreateBuilder(args)).RunAsync();

    public static bool IsStartedByFunctionsHost(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Any(a => a.Equals(FunctionsHostEndpointSwitch, StringComparison.Ordinal)
            || a.StartsWith(FunctionsHostEndpointSwitch + "=", StringComparison.Ordinal));
    }
}
