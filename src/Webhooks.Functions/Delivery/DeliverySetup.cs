namespace Webhooks.Functions.Delivery;

internal static class DeliverySetup
{
    public static IServiceCollection AddDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection("Delivery")).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
        services.AddSingleton<RetryPolicies>();
        return services;
    }
}
