using Webhooks.Functions.Storage;
namespace Webhooks.Functions.Hosting;

/// <summary>The <c>sweeper</c> timer function: runs every repair; one failing does not stop the others.</summary>
internal sealed partial class Sweeper(IEnumerable<ISweepTask> tasks, ILogger<Sweeper> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary><see cref="Interval"/> as the NCRONTAB schedule of the Functions timer trigger (seconds first).</summary>
    public const string Schedule = "0 */1 * * * *";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var task in tasks)
        {
            try
            {
                await task.SweepAsync(cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, e, task.Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {Name} failed; it runs again at the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, string name);
}
