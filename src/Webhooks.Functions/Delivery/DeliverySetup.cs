using Webhooks.Functions.Hosting;

namespace Webhooks.Functions.Delivery;

internal static class DeliverySetup
{
    public static IServiceCollection AddDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection("Delivery")).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
        services.AddSingleton<RetryPolicies>();
        services.AddSingleton<GuardedConnector>();
        services.AddSingleton(Random.Shared);
        services.AddSingleton<HostConcurrency>();
        services.AddSingleton<DeliveryAttempt>();
        services.AddSingleton<DeliveryAttemptActivity>();
        services.AddSingleton<ISweepTask, StalledDeliverySweep>();
        services.AddHttpClient(HttpClientNames.Webhooks, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = System.Net.DecompressionMethods.None,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(10),
                ConnectCallback = sp.GetRequiredService<GuardedConnector>().ConnectAsync,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddHttpClient(HttpClientNames.PageFetch, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = true,
                MaxAutomaticRedirections = 5,
                UseCookies = false,
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(10),
                ConnectCallback = sp.GetRequiredService<GuardedConnector>().ConnectAsync,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        return services;
    }
}
