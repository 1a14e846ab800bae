using Webhooks.Functions.Api;
using Webhooks.Functions.Crawling;
using Webhooks.Functions.Hosting;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Jobs;

internal static class JobsSetup
{
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection("Jobs")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CreateAdmission>();
        services.AddSingleton<PageFetcher>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<BatchStore>();
        services.AddSingleton<CrawlStore>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<JobLocks>();
        services.AddSingleton<BatchWorker>();
        services.AddSingleton<CrawlWorker>();
        services.AddQueueHandler<JobsQueueHandler>();
        services.AddSingleton<ISweepTask, StalledJobSweep>();
        return services;
    }
}
