using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Events;
using Webhooks.Functions.Jobs;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Retention;

/// <summary>
/// Deletes what is older than <c>Retention:Days</c> (SPEC §10): job and ping partitions of the jobs table with their
/// bodies, listing entries and orchestration history (<see cref="JobPartitionEraser"/>), idempotency records, and the
/// hourly delivery stats rows (SPEC §14) of hours that ended before the cutoff.
/// <para>
/// Finding old partitions: one scan of the jobs table for the rows a partition is created with (the job row, or a
/// ping's event row) whose <c>CreatedAt</c> is before the cutoff, in partition order from where the previous sweep
/// stopped. On Azure Tables and on Azurite that scan reads the whole table, so a pass runs once an hour, and again at
/// the next tick only while it has more to do (it stopped at <see cref="MaxPartitionsPerSweep"/>, or an orchestration
/// was still finishing). Work is done in batches of <see cref="BatchSize"/> partitions, each followed by a pause as
/// long as the batch took, so deliveries and API calls keep at least half of what storage can give.
/// </para>
/// </summary>
internal sealed partial class RetentionSweep(
    StorageAccount storage, JobPartitionEraser eraser, IOptions<RetentionOptions> options, TimeProvider time,
    ILogger<RetentionSweep> logger) : ISweepTask
{
    public static readonly TimeSpan PassInterval = TimeSpan.FromHours(1);
    public const int MaxPartitionsPerSweep = 200;
    public const int MaxIdempotencyRowsPerSweep = 1000;
    public const int MaxStatsRowsPerSweep = 1000;
    public const int BatchSize = 10;

    private static readonly string[] KeyColumns = ["PartitionKey", "RowKey"];

    private int _running;
    private string _cursor = "";
    private DateTimeOffset _nextPassAt = DateTimeOffset.MinValue;

    public string Name => "retention";

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextPassAt || Interlocked.Exchange(ref _running, 1) == 1)
        {
            return;
        }
        try
        {
            var cutoff = now - options.Value.MaxAge;
            var (partitions, more) = await SweepPartitionsAsync(cutoff, cancellationToken);
            var (records, moreRecords) = await SweepIdempotencyAsync(cutoff, cancellationToken);
            var (stats, moreStats) = await SweepRowsAsync(storage.Stats,
                TableClient.CreateQueryFilter($"Hour lt {cutoff - TimeSpan.FromHours(1)}"), MaxStatsRowsPerSweep, cancellationToken);
            _nextPassAt = more || moreRecords || moreStats ? now : now + PassInterval;
            if (partitions.Erased + partitions.Kept + partitions.NotYet + records + stats > 0)
            {
                LogSwept(logger, partitions.Erased, partitions.Kept, partitions.NotYet, records, stats, cutoff);
            }
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task<((int Erased, int Kept, int NotYet) Counts, bool More)> SweepPartitionsAsync(
        DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var candidates = new List<string>();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey gt {_cursor} and (RowKey eq {JobRows.Job} or RowKey eq {EventEntity.Row}) and CreatedAt lt {cutoff}");
        await foreach (var row in YieldingScan.ReadAsync(
            storage.Jobs.QueryAsync<TableEntity>(filter, select: KeyColumns, cancellationToken: cancellationToken), time, cancellationToken))
        {
            // A job's partition has both rows; they come one after the other.
            if (candidates.Count == 0 || candidates[^1] != row.PartitionKey)
            {
                candidates.Add(row.PartitionKey);
                if (candidates.Count == MaxPartitionsPerSweep)
                {
                    break;
                }
            }
        }
        var capped = candidates.Count == MaxPartitionsPerSweep;
        _cursor = capped ? candidates[^1] : "";

        int erased = 0, kept = 0, notYet = 0;
        foreach (var batch in candidates.Chunk(BatchSize))
        {
            var started = time.GetTimestamp();
            foreach (var partition in batch)
            {
                switch (await eraser.EraseIfExpiredAsync(partition, cutoff, cancellationToken))
                {
                    case PartitionOutcome.Erased: erased++; break;
                    case PartitionOutcome.Kept: kept++; break;
                    default: notYet++; break;
                }
            }
            await Task.Delay(time.GetElapsedTime(started), time, cancellationToken);
        }
        return ((erased, kept, notYet), capped || notYet > 0);
    }

    /// <summary>Records of <c>Idempotency-Key</c>s (partition = team) created before the cutoff, in transactions per team.</summary>
    private Task<(int Deleted, bool More)> SweepIdempotencyAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        SweepRowsAsync(storage.Idempotency, TableClient.CreateQueryFilter($"CreatedAt lt {cutoff}"), MaxIdempotencyRowsPerSweep, cancellationToken);

    /// <summary>Deletes up to <paramref name="max"/> rows of <paramref name="table"/> that match <paramref name="filter"/> (partition = team), in transactions per team.</summary>
    private async Task<(int Deleted, bool More)> SweepRowsAsync(TableClient table, string filter, int max, CancellationToken cancellationToken)
    {
        var old = new List<TableEntity>();
        await foreach (var row in YieldingScan.ReadAsync(table.QueryAsync<TableEntity>(
            filter, select: KeyColumns, cancellationToken: cancellationToken), time, cancellationToken))
        {
            old.Add(row);
            if (old.Count == max)
            {
                break;
            }
        }
        foreach (var chunk in old.GroupBy(r => r.PartitionKey, StringComparer.Ordinal).SelectMany(team => team.Chunk(TableTransactions.MaxActions)))
        {
            var started = time.GetTimestamp();
            await table.SubmitTransactionAsync(
                chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken);
            await Task.Delay(time.GetElapsedTime(started), time, cancellationToken);
        }
        return (old.Count, old.Count == max);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Retention: erased {Erased} job partitions, kept {Kept} (pending, parked or recent), {NotYet} wait for their orchestrations; deleted {Records} idempotency records and {StatsRows} stats rows; cutoff {Cutoff}")]
    private static partial void LogSwept(ILogger logger, int erased, int kept, int notYet, int records, int statsRows, DateTimeOffset cutoff);
}
