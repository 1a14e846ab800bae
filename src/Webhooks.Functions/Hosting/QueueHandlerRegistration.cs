namespace Webhooks.Functions.Hosting;

internal static class QueueHandlerRegistration
{
    /// <summary>
    /// Registers a queue function's handler; in Standalone mode also a <see cref="QueuePoller"/> for it (the Functions
    /// host brings the messages otherwise).
    /// </summary>
    public static IServiceCollection AddQueueHandler<THandler>(this IServiceCollection services) where THandler : class, IQueueHandler
    {
        services.AddSingleton<THandler>();
        services.AddSingleton<IQueueHandler>(sp => sp.GetRequiredService<THandler>());
        // Plain AddSingleton, not AddHostedService: the latter would keep only the first poller of the same type.
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<HostingContext>().RunsOwnPollers
            ? ActivatorUtilities.CreateInstance<QueuePoller>(sp, sp.GetRequiredService<THandler>())
            : new NoHostedWork());
        return services;
    }
}
