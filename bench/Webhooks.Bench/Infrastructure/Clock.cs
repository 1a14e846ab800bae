using System.Diagnostics;

namespace Webhooks.Bench.Infrastructure;

/// <summary>
/// Monotonic timestamps. On Linux <see cref="Stopwatch.GetTimestamp"/> reads CLOCK_MONOTONIC, which is the same
/// clock in every process of the machine, so a raise time taken in the worker and a receipt time taken in the receiver
/// process can be subtracted.
/// </summary>
internal static class Clock
{
    public static long Now => Stopwatch.GetTimestamp();

    public static double Seconds(long from, long to) => (to - from) / (double)Stopwatch.Frequency;

    public static double Milliseconds(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    public static double SecondsSince(long from) => Seconds(from, Now);
}
