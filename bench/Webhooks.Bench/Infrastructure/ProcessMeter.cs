using System.Diagnostics;

namespace Webhooks.Bench.Infrastructure;

/// <summary>CPU time and resident memory of one process, read from the OS (/proc on Linux).</summary>
internal static class ProcessMeter
{
    /// <summary>The CPU time of several processes together (Azurite's services), or null when none can be read.</summary>
    public static TimeSpan? CpuTime(IReadOnlyList<int> pids)
    {
        TimeSpan? total = null;
        foreach (var pid in pids)
        {
            if (CpuTime(pid) is { } used)
            {
                total = (total ?? TimeSpan.Zero) + used;
            }
        }
        return total;
    }

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

    /// <summary>This process's resident set split as Linux reports it: anonymous (heaps, JIT code, stacks) and file-backed (mapped assemblies and libraries), in bytes.</summary>
    public static (long Anonymous, long File) OwnRssSplit() => RssSplit(Environment.ProcessId);

    /// <summary>
    /// Another process's resident set, read from outside it (/proc/PID/status), so measuring costs it nothing; 0 when
    /// it cannot be read.
    /// </summary>
    public static long Rss(int pid) => StatusKilobytes(pid, "VmRSS:") * 1024;

    /// <summary>A process's resident set split as Linux reports it: anonymous (heaps, JIT code, stacks) and file-backed (mapped assemblies and libraries), in bytes.</summary>
    public static (long Anonymous, long File) RssSplit(int pid) => (StatusKilobytes(pid, "RssAnon:") * 1024, StatusKilobytes(pid, "RssFile:") * 1024);

    private static long StatusKilobytes(int pid, string field)
    {
        try
        {
            foreach (var line in System.IO.File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone, or not Linux.
        }
        return 0;
    }

    public static double Megabytes(long bytes) => Math.Round(bytes / (1024.0 * 1024.0), 1);
}
