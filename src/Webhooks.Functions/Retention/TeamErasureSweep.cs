using Azure;
using Azure.Data.Tables;
using Webhooks.Functions.Api;
using Webhooks.Functions.Events;
using Webhooks.Functions.Jobs;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Retention;

/// <summary>
/// Finishes what <c>DELETE /v1/admin/teams/{id}</c> began: for each team with a tombstone (<see cref="TeamErasureEntity"/>)
/// it revokes the team again (idempotent: a crash may have come between the tombstone and the revocation), erases each
/// of its jobs-table partitions (<see cref="JobPartitionEraser"/>: rows, bodies, listing entries, orchestrations, the
/// running ones terminated first), then its listing, idempotency, delivery stats and endpoint rows, and removes the tombstone last.
/// Until then every sweep resumes where the last one stopped.
/// <para>
/// The team's partitions are found by a scan of the jobs table for its job rows and ping event rows, plus the job ids its
/// idempotency records name (a batch whose creation was cut short has item rows but no job row yet).
/// </para>
/// </summary>
internal sealed partial class TeamErasureSweep(
    StorageAccount storage, TeamStore teams, JobPartitionEraser eraser, TimeProvider time, ILogger<TeamErasureSweep> logger) : ISweepTask
{
    public const int MaxPartitionsPerSweep = 200;
    public const int BatchSize = 10;
    private static readonly string[] KeyColumns = ["PartitionKey", "RowKey"];

    public string Name => "team-erasure";

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var budget = MaxPartitionsPerSweep;
        foreach (var teamId in await teams.ErasingAsync(cancellationToken))
        {
            await teams.RevokeAsync(teamId, cancellationToken);
            var partitions = await PartitionsOfAsync(teamId, cancellationToken);
            var waiting = 0;
            foreach (var batch in partitions.Take(budget).Chunk(BatchSize))
            {
                var started = time.GetTimestamp();
                foreach (var partition in batch)
                {
                    if (await eraser.EraseAsync(partition, cancellationToken) != PartitionOutcome.Erased)
                    {
                        waiting++;
                    }
                }
                await Task.Delay(time.GetElapsedTime(started), time, cancellationToken);
            }
            var erased = Math.Min(budget, partitions.Count) - waiting;
            budget -= Math.Min(budget, partitions.Count);
            if (waiting > 0 || erased < partitions.Count)
            {
                LogProgress(logger, teamId, erased, partitions.Count - erased);
                continue;
            }
            await DeletePartitionAsync(storage.Index, teamId, cancellationToken);
            await DeletePartitionAsync(storage.Idempotency, teamId, cancellationToken);
            await DeletePartitionAsync(storage.Stats, teamId, cancellationToken);
            await DeleteEndpointsAsync(teamId, cancellationToken);
            await teams.EndEraseAsync(teamId, cancellationToken);
            LogErased(logger, teamId, erased);
        }
    }

    private async Task<List<string>> PartitionsOfAsync(string teamId, CancellationToken cancellationToken)
    {
        var partitions = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var row in YieldingScan.ReadAsync(storage.Jobs.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"(RowKey eq {JobRows.Job} or RowKey eq {EventEntity.Row}) and TeamId eq {teamId}"),
            select: KeyColumns, cancellationToken: cancellationToken), time, cancellationToken))
        {
            partitions.Add(row.PartitionKey);
        }
        await foreach (var record in storage.Idempotency.QueryAsync<IdempotencyEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {teamId}"), select: ["PartitionKey", "RowKey", "JobId"], cancellationToken: cancellationToken))
        {
            if (record.JobId.Length > 0)
            {
                partitions.Add(record.JobId);
            }
        }
        return [.. partitions];
    }

    /// <summary>
    /// The team's endpoints (partition = team id, row = endpoint id) and each endpoint's own rows (partition = endpoint
    /// id); the team's rows go last, since they are how its endpoints' rows are found.
    /// </summary>
    private async Task DeleteEndpointsAsync(string teamId, CancellationToken cancellationToken)
    {
        var endpoints = new List<string>();
        await foreach (var row in storage.Endpoints.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {teamId}"), select: KeyColumns, cancellationToken: cancellationToken))
        {
            endpoints.Add(row.RowKey);
        }
        foreach (var endpointId in endpoints)
        {
            await DeletePartitionAsync(storage.Endpoints, endpointId, cancellationToken);
        }
        await DeletePartitionAsync(storage.Endpoints, teamId, cancellationToken);
    }

    private static async Task DeletePartitionAsync(TableClient table, string partition, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: KeyColumns, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }
        foreach (var chunk in rows.Chunk(TableTransactions.MaxActions))
        {
            await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Erasing team {TeamId}: {Erased} job partitions erased, {Left} left for the next sweep")]
    private static partial void LogProgress(ILogger logger, string teamId, int erased, int left);

    [LoggerMessage(Level = LogLevel.Information, Message = "Team {TeamId} erased ({Partitions} job partitions in the last sweep)")]
    private static partial void LogErased(ILogger logger, string teamId, int partitions);
}
