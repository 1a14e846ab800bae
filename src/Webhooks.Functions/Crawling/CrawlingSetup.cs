using Webhooks.Functions.Jobs;

namespace Webhooks.Functions.Crawling;

internal static class CrawlingSetup
{
    /// <summary>Crawls: their store and their worker, which the <c>jobs</c> queue runs as one kind of job (<see cref="IJobWorker"/>).</summary>
    public static IServiceCollection AddCrawling(this IServiceCollection services)
    {
        services.AddSingleton<CrawlStore>();
        services.AddSingleton<CrawlWorker>();
        services.AddSingleton<IJobWorker>(sp => sp.GetRequiredService<CrawlWorker>());
        return services;
    }
}
