using Microsoft.Azure.Functions.Worker.Builder;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Hosting.Worker;

/// <summary>
/// The app as an Azure Functions .NET isolated worker with ASP.NET Core integration: the Functions host owns the
/// triggers (HTTP, the queues, the sweeper timer) and invokes the [Function] adapters of this folder, which call the
/// same pipeline and handlers as the standalone app. No queue poller or sweeper timer of our own runs here.
/// </summary>
internal static class WorkerApp
{
    public static IHost Build(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        AddServices(builder.Services, builder.Configuration, builder.Environment);
        return builder.Build();
    }

    /// <summary>The shared services plus what only the worker's adapters use.</summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        WebhooksApp.AddServices(services, configuration, environment);
        services.AddSingleton<ApiPipeline>();
        services.AddSingleton<IDeliveryOrchestrations, FunctionsDeliveryOrchestrations>();
    }
}
