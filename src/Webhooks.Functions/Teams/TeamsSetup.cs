using Microsoft.Extensions.Options;
using Webhooks.Functions.Api;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Outbound;

namespace Webhooks.Functions.Teams;

internal static class TeamsSetup
{
    public static IServiceCollection AddTeams(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<SecurityOptions>()
            .Configure(o =>
            {
                o.AllowPrivateNetworks = environment.IsDevelopment();
                o.RequireHttpsWebhooks = !environment.IsDevelopment();
            })
            .Bind(configuration.GetSection("Security"))
            .Validate(o => SecretProtector.ParseKey(o.SecretEncryptionKey) is not null,
                "Security:SecretEncryptionKey must be set to base64 of 32 random bytes (for example: openssl rand -base64 32).")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection("Admin"));
        services.AddOptions<DevOptions>().Configure(o =>
        {
            // Dev:ApiKey means nothing outside Development (SPEC §2).
            if (environment.IsDevelopment())
            {
                configuration.GetSection("Dev").Bind(o);
            }
        });
        services.AddSingleton<IOutboundAddressPolicy, SecurityAddressPolicy>();
        services.AddSingleton<SecretProtector>();
        services.AddSingleton<TeamStore>();
        services.AddSingleton<IApiKeyTeams>(sp => sp.GetRequiredService<TeamStore>());
        services.AddSingleton<IDeliveryOwners>(sp => sp.GetRequiredService<TeamStore>());
        services.AddSingleton<DevTeamSeeder>();
        return services;
    }

    public static SecurityOptions Security(this IServiceProvider services) => services.GetRequiredService<IOptions<SecurityOptions>>().Value;
}
