using Azure;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Hosting;

/// <summary>
/// Creates every table, queue and container and, in Development, seeds the dev team; then marks
/// <see cref="StorageReadiness"/> ready. It runs in the background, so the process answers its host (Kestrel for the
/// standalone app, the Functions host's gRPC channel for the worker) within seconds whatever storage is doing, and it
/// never gives up: a process that exits because storage is slow is only restarted into the same wait.
/// </summary>
internal sealed partial class StorageStartup(
    StorageInitializer storage, DevTeamSeeder devTeam, StorageReadiness readiness, IHostEnvironment environment, TimeProvider time,
    ILogger<StorageStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var attempt = 0;
        long? refusedSince = null;
        var reportedConfigurationError = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await storage.EnsureCreatedAsync(stoppingToken);
                if (environment.IsDevelopment())
                {
                    await devTeam.SeedAsync(stoppingToken);
                }
                readiness.SetReady();
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                attempt++;
                var refused = e is RequestFailedException { Status: 401 or 403 };
                refusedSince = refused ? refusedSince ?? time.GetTimestamp() : null;
                TimeSpan? refusedFor = refusedSince is { } since ? time.GetElapsedTime(since) : null;
                var reason = e.GetBaseException().Message;
                if (refused && StorageStartupBackoff.IsConfigurationError(refusedFor!.Value))
                {
                    readiness.Waiting($"storage refuses the app's identity ({((RequestFailedException)e).ErrorCode}); check its role assignments");
                    if (!reportedConfigurationError)
                    {
                        LogStillRefused(logger, refusedFor.Value, reason);
                        reportedConfigurationError = true;
                    }
                }
                else if (refused)
                {
                    readiness.Waiting("storage does not authorize the app's identity yet (role assignments can take minutes to apply)");
                    LogRefused(logger, reason);
                }
                else if (StorageUnavailable.Is(e, stoppingToken))
                {
                    readiness.Waiting("storage is unreachable or too slow to answer");
                    LogWaitingForStorage(logger, reason);
                }
                else
                {
                    // Neither an outage nor a refusal (a bug, or storage rejecting a name): keep the process up and visible.
                    readiness.Waiting("storage set-up failed; see the app's log");
                    LogSetUpFailed(logger, e);
                }
                try
                {
                    await Task.Delay(StorageStartupBackoff.Next(attempt, refusedFor), time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for storage: {Reason}")]
    private static partial void LogWaitingForStorage(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage refused the app's identity, retrying while role assignments propagate: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage has refused the app's identity for {RefusedFor}: check its role assignments on the storage account (retrying every minute): {Reason}")]
    private static partial void LogStillRefused(ILogger logger, TimeSpan refusedFor, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage set-up failed; retrying")]
    private static partial void LogSetUpFailed(ILogger logger, Exception exception);
}
