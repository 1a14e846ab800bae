using System.Diagnostics;

namespace Webhooks.Bench.Infrastructure;

/// <summary>CPU time and resident memory of one process, read from the OS (/proc on Linux).</summary>
internal static class ProcessMeter
{
    public static TimeSpan? CpuTime(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Current resident set of this process in bytes.</summary>
    public static long OwnRss => Environment.WorkingSet;

    /// <summary>Peak resident set of this process since it started (VmHWM).</summary>
    public static long OwnPeakRss
    {
        get
        {
            using var self = Process.GetCurrentProcess();
            return self.PeakWorkingSet64;
        }
    }

    public static double Megabytes(long bytes) => Math.Round(bytes / (1024.0 * 1024.0), 1);
}
