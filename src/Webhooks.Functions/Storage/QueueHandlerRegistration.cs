namespace Webhooks.Functions.Storage;

internal static class QueueHandlerRegistration
{
    /// <summary>
    /// Registers a queue function's handler. Who brings it messages is the host's business: the Functions host's queue
    /// trigger (Worker/QueueFunctions) or, standalone, <c>Hosting/QueuePollers</c>.
    /// </summary>
    public static IServiceCollection AddQueueHandler<THandler>(this IServiceCollection services) where THandler : class, IQueueHandler
    {
        services.AddSingleton<THandler>();
        services.AddSingleton<IQueueHandler>(sp => sp.GetRequiredService<THandler>());
        return services;
    }
}
