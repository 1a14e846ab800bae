using System.Diagnostics;

namespace Webhooks.Bench.Infrastructure;

/// <summary>Child processes end themselves when the orchestrator that started them is gone (killed, crashed).</summary>
internal static class ParentWatch
{
    public static void ExitWhenGone(int parentPid) => _ = Task.Run(async () =>
    {
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            try
            {
                using var parent = Process.GetProcessById(parentPid);
                if (parent.HasExited)
                {
                    Environment.Exit(3);
                }
            }
            catch (ArgumentException)
            {
                Environment.Exit(3);
            }
        }
    });
}
