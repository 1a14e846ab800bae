using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Retention;

internal static class RetentionSetup
{
    /// <summary>The retention sweep and the erasure of deleted teams (SPEC §10).</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection("Retention")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<JobPartitionEraser>();
        services.AddSingleton<ISweepTask, RetentionSweep>();
        services.AddSingleton<ISweepTask, TeamErasureSweep>();
        return services;
    }
}
