using Webhooks.Functions.Delivery;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Events;

internal static class EventsSetup
{
    /// <summary>Raising events, the delivery log and its index, recovery, test pings and the event-type catalog.</summary>
    public static IServiceCollection AddEventLog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventIndexOptions>().Bind(configuration.GetSection("EventIndex")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EventIndex>();
        services.AddSingleton<EventRaiser>();
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton<DeliveryLogListing>();
        services.AddSingleton<DeliveryRecovery>();
        services.AddSingleton<PingSender>();
        services.AddSingleton<OperationalEvents>();
        services.AddSingleton<IDeliveryEndings>(sp => sp.GetRequiredService<OperationalEvents>());
        services.AddSingleton(EventTypeCatalog.Load(Path.Combine(AppContext.BaseDirectory, EventTypeCatalog.FolderName)));
        services.AddSingleton<ISweepTask, EventIndexRepairSweep>();
        return services;
    }
}
