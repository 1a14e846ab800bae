using Webhooks.Functions.Api;
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
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<JobLocks>();
        services.AddSingleton<JobSettlement>();
        services.AddSingleton<BatchWorker>();
        services.AddSingleton<IJobWorker>(sp => sp.GetRequiredService<BatchWorker>());
        services.AddQueueHandler<JobsQueueHandler>();
        services.AddSingleton<ISweepTask, StalledJobSweep>();
        return services;
    }
}
