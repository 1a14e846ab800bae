using Webhooks.Functions.Delivery;
using Webhooks.Functions.Events;

namespace Webhooks.Functions.Endpoints;

internal static class EndpointsSetup
{
    /// <summary>Endpoints, their fan-out, gate (parking, rate limits) and health.</summary>
    public static IServiceCollection AddEndpoints(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EndpointOptions>().Bind(configuration.GetSection("Endpoints")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EndpointStore>();
        services.AddSingleton<EndpointRateLimiter>();
        services.AddSingleton<EndpointHealth>();
        services.AddSingleton<DeliveryStats>();
        services.AddSingleton<EndpointLifecycle>();
        services.AddSingleton<IDeliveryGate, EndpointGate>();
        services.AddSingleton<EndpointSecrets>();
        services.AddSingleton<OAuth2Tokens>();
        services.AddSingleton<IAttemptOutbound, EndpointOutbound>();
        services.AddSingleton<IEventDestinations, EndpointDestinations>();
        services.AddSingleton<EndpointSigning>();
        services.AddSingleton<ISigningKeys, EndpointSigningKeys>();
        return services;
    }
}
