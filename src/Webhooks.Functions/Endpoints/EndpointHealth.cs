using System.Collections.Concurrent;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Events;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// Counts each endpoint's attempts and judges its health (SPEC §9), and counts the delivery stats of each team and
/// endpoint by hour (SPEC §14, <see cref="DeliveryStatsCounts"/>), the same way.
/// <para>
/// Counting adds no write per attempt: an instance keeps its counts in memory and writes them at most once per
/// <see cref="EndpointOptions.HealthFlushInterval"/> per endpoint, as one row per (endpoint, time bucket, instance)
/// holding that instance's running totals, so rows of different instances never conflict and a rewrite is idempotent.
/// A bucket is a 24th of the window. Rows are also keyed by when the endpoint was last enabled: enabling it starts a
/// fresh series, so the failures that disabled it cannot disable it again.
/// </para>
/// <para>
/// After each write the endpoint is judged on the sum of its rows in the window: <c>event.endpoint.failing</c> at most
/// once per window, and disabled (raising <c>event.endpoint.disabled</c>) when almost every attempt failed and none
/// succeeded. Counts not yet written when an instance dies are lost: health is a summary, never a delivery.
/// </para>
/// <para>
/// Stats are kept per (team, scope) where the scope is the team as a whole (every delivery, an endpoint's or not) or
/// one endpoint, in hours of UTC, and written like health counts: one row per (team, scope, hour, instance) of that
/// instance's running totals in table <c>stats</c>, at most once per interval and once more when the hour ends.
/// </para>
/// </summary>
internal sealed partial class EndpointHealth(
    StorageAccount storage,
    EndpointStore store,
    OperationalEvents events,
    IOptions<EndpointOptions> options,
    TimeProvider time,
    ILogger<EndpointHealth> logger)
{
    private const string RowPrefix = "health_";
    private const int BucketsPerWindow = 24;

    private readonly string _instance = Ids.RandomString(12);
    private readonly ConcurrentDictionary<(string Endpoint, long Series), Tally> _tallies = new();
    private readonly ConcurrentDictionary<(string Team, string Scope), StatsTally> _stats = new();

    private TimeSpan Window => options.Value.HealthWindow;

    private long BucketTicks => Math.Max(TimeSpan.TicksPerSecond, Window.Ticks / BucketsPerWindow);

    /// <summary>
    /// Counts one attempt of a delivery of <paramref name="teamId"/>, to <paramref name="endpoint"/> or to no endpoint (a
    /// job's webhook, a default URL): in the team's stats, and in the endpoint's stats and health. Writes what is due.
    /// </summary>
    /// <param name="latency">For the attempt that delivered: raise → this 2xx.</param>
    public async Task CountAsync(string teamId, EndpointEntity? endpoint, AttemptResult result, TimeSpan? latency, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        // Every count is taken in memory before anything is written, so a write that fails loses none of them: what
        // was not written is written at the next count or flush.
        var due = new List<StatsTally>();
        AddStats(teamId, DeliveryStatsCounts.TeamScope, result, latency, due);
        if (endpoint is not null)
        {
            AddStats(teamId, endpoint.EndpointId, result, latency, due);
        }
        try
        {
            if (endpoint is not null)
            {
                await CountHealthAsync(endpoint, result.IsDelivered, cancellationToken);
            }
        }
        finally
        {
            foreach (var tally in due)
            {
                await WriteUnwrittenStatsAsync(tally, cancellationToken);
            }
        }
    }

    /// <summary>Writes this instance's unwritten stats of <paramref name="teamId"/>, so that a read of them is up to date here.</summary>
    public async Task FlushStatsAsync(string teamId, CancellationToken cancellationToken)
    {
        foreach (var ((team, _), tally) in _stats)
        {
            if (team == teamId)
            {
                await WriteUnwrittenStatsAsync(tally, cancellationToken);
            }
        }
    }

    /// <summary>Adds the attempt to the scope's tally; adds the tally to <paramref name="due"/> when it should be written now.</summary>
    private void AddStats(string teamId, string scope, AttemptResult result, TimeSpan? latency, List<StatsTally> due)
    {
        var now = time.GetUtcNow();
        var hour = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);
        var tally = _stats.GetOrAdd((teamId, scope), key => new StatsTally(key.Team, key.Scope, hour));
        lock (tally)
        {
            var hourEnded = tally.Hour != hour;
            if (hourEnded)
            {
                tally.StartHour(hour);
            }
            tally.Counts.Add(result, latency);
            tally.Dirty = true;
            if (hourEnded || now - tally.WrittenAt >= options.Value.HealthFlushInterval)
            {
                // Claimed here, under the lock: the attempts counted while this write waits for the writer are in it
                // or in the next interval's, instead of each writing the same row again in turn.
                tally.WrittenAt = now;
                due.Add(tally);
            }
        }
    }

    /// <summary>Writes the tally's ended hours and its running totals if unwritten; one writer per tally at a time, so totals never go back.</summary>
    private async Task WriteUnwrittenStatsAsync(StatsTally tally, CancellationToken cancellationToken)
    {
        await tally.Writing.WaitAsync(cancellationToken);
        try
        {
            List<(DateTimeOffset Hour, DeliveryStatsCounts Counts)> rows;
            lock (tally)
            {
                rows = [.. tally.Ended];
                if (tally.Dirty)
                {
                    rows.Add((tally.Hour, tally.Counts.Copy()));
                    tally.Dirty = false;
                    tally.WrittenAt = time.GetUtcNow();
                }
                tally.Ended.Clear();
            }
            var written = 0;
            try
            {
                foreach (var (hour, counts) in rows)
                {
                    await storage.Stats.UpsertEntityAsync(counts.ToRow(tally.TeamId, tally.Scope, hour, _instance), TableUpdateMode.Replace, cancellationToken);
                    written++;
                }
            }
            catch
            {
                lock (tally)
                {
                    // The newest totals of an hour replace older ones, so what failed is simply written again next time.
                    foreach (var (hour, counts) in rows.Skip(written))
                    {
                        if (hour == tally.Hour)
                        {
                            tally.Dirty = true;
                        }
                        else
                        {
                            tally.Ended.Add((hour, counts));
                        }
                    }
                }
                throw;
            }
        }
        finally
        {
            tally.Writing.Release();
        }
    }

    /// <summary>Counts one attempt to <paramref name="endpoint"/> for its health; writes and judges when its interval has passed.</summary>
    private async Task CountHealthAsync(EndpointEntity endpoint, bool delivered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var now = time.GetUtcNow();
        var bucket = now.UtcTicks - now.UtcTicks % BucketTicks;
        var tally = _tallies.GetOrAdd((endpoint.EndpointId, endpoint.EnabledSince.UtcTicks), _ => new Tally(endpoint.TeamId, bucket));
        bool due;
        bool bucketEnded;
        lock (tally)
        {
            bucketEnded = tally.Bucket != bucket;
            if (bucketEnded)
            {
                tally.StartBucket(bucket);
            }
            tally.Add(delivered, now);
            due = bucketEnded || now - tally.WrittenAt >= options.Value.HealthFlushInterval;
            if (due)
            {
                // Claimed under the lock, as for the stats: one write and one judgement per interval, not one per waiter.
                tally.WrittenAt = now;
            }
        }
        if (due)
        {
            await FlushAsync(endpoint.EndpointId, endpoint.EnabledSince.UtcTicks, tally, cancellationToken);
        }
        if (bucketEnded)
        {
            await PruneAsync(endpoint.EndpointId, endpoint.EnabledSince.UtcTicks, now, cancellationToken);
        }
    }

    /// <summary>Writes and judges every endpoint with unwritten counts (the standalone host's timer, and at stop).</summary>
    public async Task FlushAllAsync(CancellationToken cancellationToken)
    {
        foreach (var ((endpointId, series), tally) in _tallies)
        {
            await FlushAsync(endpointId, series, tally, cancellationToken);
        }
        foreach (var tally in _stats.Values)
        {
            await WriteUnwrittenStatsAsync(tally, cancellationToken);
        }
    }

    /// <summary>The endpoint's counts over the window, this instance's unwritten ones included.</summary>
    public async Task<EndpointHealthReport> ReadAsync(EndpointEntity endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (_tallies.TryGetValue((endpoint.EndpointId, endpoint.EnabledSince.UtcTicks), out var tally))
        {
            await WriteUnwrittenAsync(endpoint.EndpointId, endpoint.EnabledSince.UtcTicks, tally, cancellationToken);
        }
        return await SumAsync(endpoint, cancellationToken);
    }

    private async Task FlushAsync(string endpointId, long series, Tally tally, CancellationToken cancellationToken)
    {
        if (await WriteUnwrittenAsync(endpointId, series, tally, cancellationToken))
        {
            await JudgeAsync(tally.TeamId, endpointId, cancellationToken);
        }
    }

    /// <summary>
    /// Writes the tally's ended buckets not written yet and its running totals if it has unwritten counts; one writer per
    /// tally at a time, so totals never go back. What a failed write left is written again next time.
    /// </summary>
    private async Task<bool> WriteUnwrittenAsync(string endpointId, long series, Tally tally, CancellationToken cancellationToken)
    {
        await tally.Writing.WaitAsync(cancellationToken);
        try
        {
            List<TallyTotals> rows;
            lock (tally)
            {
                rows = [.. tally.Ended];
                tally.Ended.Clear();
                if (tally.Dirty)
                {
                    rows.Add(tally.Totals());
                    tally.Dirty = false;
                    tally.WrittenAt = time.GetUtcNow();
                }
            }
            if (rows.Count == 0)
            {
                return false;
            }
            var written = 0;
            try
            {
                foreach (var totals in rows)
                {
                    await WriteAsync(endpointId, series, totals, cancellationToken);
                    written++;
                }
            }
            catch
            {
                lock (tally)
                {
                    foreach (var totals in rows.Skip(written))
                    {
                        if (totals.Bucket == tally.Bucket)
                        {
                            tally.Dirty = true;
                        }
                        else
                        {
                            tally.Ended.Add(totals);
                        }
                    }
                }
                throw;
            }
            return true;
        }
        finally
        {
            tally.Writing.Release();
        }
    }

    /// <summary>
    /// Deletes the endpoint's health rows that no judgement reads any more: those of buckets that ended before the window,
    /// and those of an earlier series (before the endpoint was last enabled). Run when a bucket ends, so once per bucket
    /// per instance; deleting a row another instance deleted first is harmless.
    /// </summary>
    private async Task PruneAsync(string endpointId, long series, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var windowStart = (now - Window).UtcTicks;
        var firstBucket = windowStart - windowStart % BucketTicks;
        // Keys sort by series, then bucket: everything below the current series' first bucket in the window is stale.
        var firstKept = RowKey(series, firstBucket, "");
        var stale = new List<TableEntity>();
        await foreach (var row in storage.Endpoints.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {endpointId} and RowKey ge {RowPrefix} and RowKey lt {firstKept}"),
            select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            stale.Add(row);
        }
        foreach (var chunk in stale.Chunk(TableTransactions.MaxActions))
        {
            try
            {
                await storage.Endpoints.SubmitTransactionAsync(
                    chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, Azure.ETag.All)), cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.IsNotFound())
            {
                // Another instance pruned some of them first: the rest go at the next bucket's end.
            }
        }
    }

    private async Task WriteAsync(string endpointId, long series, TallyTotals totals, CancellationToken cancellationToken) =>
        await storage.Endpoints.UpsertEntityAsync(new TableEntity(endpointId, RowKey(series, totals.Bucket, _instance))
        {
            ["Attempts"] = totals.Attempts,
            ["Failures"] = totals.Failures,
            ["LastSuccessAt"] = totals.LastSuccessAt,
            ["LastFailureAt"] = totals.LastFailureAt,
        }, TableUpdateMode.Replace, cancellationToken);

    private async Task<EndpointHealthReport> SumAsync(EndpointEntity endpoint, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var windowStart = now - Window;
        var series = endpoint.EnabledSince.UtcTicks;
        var firstBucket = windowStart.UtcTicks - windowStart.UtcTicks % BucketTicks;
        var from = RowKey(series, firstBucket, "");
        var to = RowKey(series, long.MaxValue, "");
        long attempts = 0, failures = 0;
        DateTimeOffset? lastSuccess = null, lastFailure = null;
        await foreach (var row in storage.Endpoints.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {endpoint.EndpointId} and RowKey ge {from} and RowKey lt {to}"),
            cancellationToken: cancellationToken))
        {
            attempts += row.GetInt64("Attempts") ?? 0;
            failures += row.GetInt64("Failures") ?? 0;
            lastSuccess = Later(lastSuccess, row.GetDateTimeOffset("LastSuccessAt"));
            lastFailure = Later(lastFailure, row.GetDateTimeOffset("LastFailureAt"));
        }
        var ratio = attempts == 0 ? 0 : (double)failures / attempts;
        return new EndpointHealthReport(Window, attempts, failures, ratio, lastSuccess, lastFailure);
    }

    /// <summary>Raises <c>event.endpoint.failing</c> and disables the endpoint as SPEC §9 says. Each event is raised before the row changes, so a crash in between repeats the raise, which its derived id makes harmless.</summary>
    private async Task JudgeAsync(string teamId, string endpointId, CancellationToken cancellationToken)
    {
        var endpoint = await store.GetAsync(teamId, endpointId, cancellationToken);
        if (endpoint is null || !endpoint.IsEnabled)
        {
            return;
        }
        var health = await SumAsync(endpoint, cancellationToken);
        var o = options.Value;
        if (health.Attempts < o.HealthMinAttempts)
        {
            return;
        }
        var now = time.GetUtcNow();
        var series = endpoint.EnabledSince.UtcTicks.ToString(CultureInfo.InvariantCulture);
        if (health.FailureRatio >= o.WarnRatio && !RaisedFailingWithin(endpoint, now))
        {
            var windowNumber = (now.UtcTicks / Window.Ticks).ToString(CultureInfo.InvariantCulture);
            await events.RaiseAsync(teamId, EventTypes.EndpointFailing, endpointId, $"{endpointId}/failing/{series}/{windowNumber}",
                EndpointEventData.From(endpoint, health), cancellationToken);
            await store.UpdateAsync(teamId, endpointId, e =>
            {
                if (RaisedFailingWithin(e, now))
                {
                    return false;
                }
                e.FailingRaisedAt = now;
                return true;
            }, cancellationToken);
            LogFailing(logger, endpointId, health.Failures, health.Attempts);
        }
        if (health.FailureRatio >= o.DisableRatio && health.LastSuccessAt is null)
        {
            var reason = $"{health.Failures} of {health.Attempts} attempts failed within {System.Xml.XmlConvert.ToString(Window)}, none succeeded";
            var enabledSince = endpoint.EnabledSince;
            endpoint.Status = EndpointStatus.Disabled;
            endpoint.DisabledReason = reason;
            endpoint.UpdatedAt = now;
            await events.RaiseAsync(teamId, EventTypes.EndpointDisabled, endpointId, $"{endpointId}/disabled/{series}",
                EndpointEventData.From(endpoint, health), cancellationToken);
            await store.UpdateAsync(teamId, endpointId, e =>
            {
                if (!e.IsEnabled || e.EnabledSince != enabledSince)
                {
                    // Disabled meanwhile, or enabled afresh by its owner: the verdict was on a series that has ended.
                    return false;
                }
                e.Status = EndpointStatus.Disabled;
                e.DisabledReason = reason;
                return true;
            }, cancellationToken);
            LogDisabled(logger, endpointId, reason);
        }
    }

    private bool RaisedFailingWithin(EndpointEntity endpoint, DateTimeOffset now) =>
        endpoint.FailingRaisedAt is { } raised && raised >= endpoint.EnabledSince && now - raised < Window;

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a > b ? a : b);

    private static string RowKey(long series, long bucket, string instance) =>
        string.Create(CultureInfo.InvariantCulture, $"{RowPrefix}{series:D19}_{bucket:D19}_{instance}");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Endpoint {EndpointId} is failing: {Failures} of {Attempts} attempts in its health window failed")]
    private static partial void LogFailing(ILogger logger, string endpointId, long failures, long attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Endpoint {EndpointId} disabled: {Reason}; its deliveries are parked until it is enabled")]
    private static partial void LogDisabled(ILogger logger, string endpointId, string reason);

    /// <summary>This instance's running stats for one scope of a team in the current hour, and ended hours not yet written.</summary>
    private sealed class StatsTally(string teamId, string scope, DateTimeOffset hour)
    {
        public string TeamId { get; } = teamId;
        public string Scope { get; } = scope;
        public SemaphoreSlim Writing { get; } = new(1, 1);
        public DateTimeOffset Hour { get; private set; } = hour;
        public DeliveryStatsCounts Counts { get; } = new();
        public List<(DateTimeOffset Hour, DeliveryStatsCounts Counts)> Ended { get; } = [];
        public bool Dirty { get; set; }
        public DateTimeOffset WrittenAt { get; set; } = DateTimeOffset.MinValue;

        public void StartHour(DateTimeOffset hour)
        {
            if (Dirty)
            {
                Ended.Add((Hour, Counts.Copy()));
                Dirty = false;
            }
            Hour = hour;
            Counts.Clear();
        }
    }

    private sealed record TallyTotals(long Bucket, long Attempts, long Failures, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastFailureAt);

    /// <summary>This instance's running totals for one endpoint series in the current bucket.</summary>
    private sealed class Tally(string teamId, long bucket)
    {
        public string TeamId { get; } = teamId;
        public SemaphoreSlim Writing { get; } = new(1, 1);
        public long Bucket { get; private set; } = bucket;
        public long Attempts { get; private set; }
        public long Failures { get; private set; }
        public DateTimeOffset? LastSuccessAt { get; private set; }
        public DateTimeOffset? LastFailureAt { get; private set; }
        public bool Dirty { get; set; }
        public DateTimeOffset WrittenAt { get; set; } = DateTimeOffset.MinValue;

        /// <summary>Totals of buckets that ended before they were written.</summary>
        public List<TallyTotals> Ended { get; } = [];

        public void StartBucket(long bucket)
        {
            if (Dirty)
            {
                Ended.Add(Totals());
                Dirty = false;
            }
            Bucket = bucket;
            Attempts = Failures = 0;
            LastSuccessAt = LastFailureAt = null;
        }

        public void Add(bool delivered, DateTimeOffset at)
        {
            Attempts++;
            if (delivered)
            {
                LastSuccessAt = at;
            }
            else
            {
                Failures++;
                LastFailureAt = at;
            }
            Dirty = true;
        }

        public TallyTotals Totals() => new(Bucket, Attempts, Failures, LastSuccessAt, LastFailureAt);
    }
}
