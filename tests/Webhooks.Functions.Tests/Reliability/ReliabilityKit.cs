using System.Diagnostics;
using Azure.Data.Tables;

namespace Webhooks.Functions.Tests.Reliability;

/// <summary>Bounded waiting and table reading shared by the reliability tests.</summary>
internal static class ReliabilityKit
{
    /// <summary>Polls <paramref name="condition"/> every few milliseconds until it holds; throws after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var started = Stopwatch.StartNew();
        while (!condition())
        {
            if (started.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what()}");
            }
            await Task.Delay(10);
        }
    }

    /// <summary>Like <see cref="UntilAsync(Func{bool}, TimeSpan, Func{string})"/> for a condition that reads something.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan timeout, TimeSpan interval, Func<T, string> what)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }
            if (started.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what(value)}");
            }
            await Task.Delay(interval);
        }
    }

    /// <summary>Every row of a table, grouped by partition (the jobs table holds one partition per job).</summary>
    public static async Task<Dictionary<string, List<TableEntity>>> PartitionsAsync(TableClient table)
    {
        var partitions = new Dictionary<string, List<TableEntity>>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            if (!partitions.TryGetValue(row.PartitionKey, out var rows))
            {
                partitions[row.PartitionKey] = rows = [];
            }
            rows.Add(row);
        }
        return partitions;
    }
}
