namespace Webhooks.Functions.Outbound;

internal static class OutboundSetup
{
    /// <summary>The outgoing HTTP clients (<see cref="HttpClientNames"/>), every connection through <see cref="GuardedConnector"/>.</summary>
    public static IServiceCollection AddOutbound(this IServiceCollection services)
    {
        services.AddOptions<OutboundOptions>().BindConfiguration("Outbound");
        services.AddSingleton<GuardedConnector>();
        services.AddSingleton<ServerCertificateTrust>();
        services.AddSingleton<ClientCertificateClients>();
        services.AddHttpClient(HttpClientNames.Webhooks, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = System.Net.DecompressionMethods.None,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(10),
                ConnectCallback = sp.GetRequiredService<GuardedConnector>().ConnectAsync,
                SslOptions = sp.GetRequiredService<ServerCertificateTrust>().ClientOptions(),
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
                SslOptions = sp.GetRequiredService<ServerCertificateTrust>().ClientOptions(),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        return services;
    }
}
