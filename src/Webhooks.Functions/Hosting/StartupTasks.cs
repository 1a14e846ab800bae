using Webhooks.Functions.Storage;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Hosting;

/// <summary>Work that must be done once before the first request: create storage resources, seed the dev team.</summary>
/// <remarks>
/// A hosted service registered before every other one: the host starts hosted services in order and the web server
/// last, so no request or queue message is handled before this has finished.
/// </remarks>
internal sealed partial class StartupTasks(
    StorageInitializer storage, DevTeamSeeder devTeam, IHostEnvironment environment, TimeProvider time, ILogger<StartupTasks> logger)
    : IHostedService
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            try
            {
                await storage.EnsureCreatedAsync(cancellationToken);
                break;
            }
            catch (Exception e) when (StorageUnavailable.Is(e, cancellationToken) && time.GetElapsedTime(started) < GiveUpAfter)
            {
                // Azurite or the account may still be starting, or be too busy to answer; the message says what is being waited for.
                LogWaitingForStorage(logger, e.GetBaseException().Message);
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
            }
        }
        if (environment.IsDevelopment())
        {
            await devTeam.SeedAsync(cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for storage: {Reason}")]
    private static partial void LogWaitingForStorage(ILogger logger, string reason);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
