using Webhooks.Functions.Hosting;

namespace Webhooks.Functions.Events;

internal static class EventsSetup
{
    /// <summary>The delivery log, recovery and test pings. The event raiser and index are registered with delivery.</summary>
    public static IServiceCollection AddEventLog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventIndexOptions>().Bind(configuration.GetSection("EventIndex")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton<DeliveryRecovery>();
        services.AddSingleton<PingSender>();
        services.AddSingleton<ISweepTask, EventIndexRepairSweep>();
        return services;
    }
}
