using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Delivery;

internal static class DeliverySetup
{
    public static IServiceCollection AddDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection("Delivery")).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
        services.AddSingleton<RetryPolicies>();
        services.AddSingleton<HostConcurrency>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<OneShotDelivery>();
        services.AddSingleton<ISweepTask, ParkedDeliveriesCount>();
        services.AddSingleton<DeliveryAttemptActivity>();
        services.AddSingleton<DeliveryExhaustedActivity>();
        services.AddSingleton<DeliveryOverrides>();
        services.AddSingleton<ISweepTask, StalledDeliverySweep>();
        return services;
    }
}
