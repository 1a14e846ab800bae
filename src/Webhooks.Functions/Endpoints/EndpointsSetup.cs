namespace Webhooks.Functions.Endpoints;

internal static class EndpointsSetup
{
    public static IServiceCollection AddEndpoints(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<EndpointStore>();
        services.AddSingleton<EndpointHealth>();
        services.AddSingleton<EndpointLifecycle>();
        return services;
    }
}
