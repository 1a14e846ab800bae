using Webhooks.Bench.Infrastructure;
using Webhooks.Functions;
using Webhooks.Functions.Events;

namespace Webhooks.Bench.Worker;

/// <summary>
/// Raises completion events the way the job engine does (EventRaiser.PrepareAsync, the completion transaction with
/// <c>raised.TransactionActions</c>, PublishAsync), each to the next of the receiver's endpoints in turn. The raise
/// time is taken before PrepareAsync: since the guard message is sent there, before the completion transaction, a
/// raise starts when the job engine starts completing the job.
/// </summary>
internal sealed class EventDriver(AppUnderTest app, IReadOnlyList<string> urls)
{
    private long _next = -1;
    private long _committed;
    private long _published;
    private long _failed;

    /// <summary>Completion transactions that succeeded: each is one jobs-table transaction.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>Raises whose PublishAsync returned: each of their deliveries records one outcome transaction.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Raises that threw (storage gave up after its retries); a committed one is left to the product's recovery.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Jobs-table transactions the raised events will have caused once every published delivery is recorded.</summary>
    public long ExpectedTransactions => Committed + Published;

    public async Task<RaisedRecord> RaiseAsync(CancellationToken cancellationToken)
    {
        var index = (int)(Interlocked.Increment(ref _next) % urls.Count);
        var url = urls[index];
        var jobId = Ids.New("batch");
        var data = "{\"id\":\"" + jobId + "\",\"object\":\"batch\",\"status\":\"completed\",\"items_total\":100,\"items_completed\":98," +
            "\"items_failed\":2,\"created_at\":\"2025-01-22T18:20:00Z\",\"completed_at\":\"2025-01-22T18:21:07Z\",\"webhook\":\"" + url + "\"}";
        var started = Clock.Now;
        var raised = await app.Raiser.PrepareAsync(app.TeamId, jobId, EventTypes.BatchCompleted, data, url, cancellationToken);
        var prepared = Clock.Now;
        await app.Storage.Jobs.SubmitTransactionAsync(raised.TransactionActions, cancellationToken);
        Interlocked.Increment(ref _committed);
        var committed = Clock.Now;
        await app.Raiser.PublishAsync(raised, cancellationToken);
        Interlocked.Increment(ref _published);
        return new RaisedRecord(raised.Event.EventId, index, started, prepared, committed, Clock.Now);
    }

    /// <summary>
    /// Raises <paramref name="count"/> events with <paramref name="concurrency"/> raisers, each raising its next as soon
    /// as its last returned. <paramref name="stopRaising"/> ends the loop between raises (a time cap); raises in flight finish.
    /// </summary>
    public async Task<List<RaisedRecord>> RaiseClosedLoopAsync(int count, int concurrency, CancellationToken stopRaising)
    {
        var cancellationToken = CancellationToken.None;
        var records = new List<RaisedRecord>(count);
        var remaining = count;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (!stopRaising.IsCancellationRequested && Interlocked.Decrement(ref remaining) >= 0)
            {
                try
                {
                    var record = await RaiseAsync(cancellationToken);
                    lock (records)
                    {
                        records.Add(record);
                    }
                }
                catch (Exception e)
                {
                    // Storage gave up (Azurite overloaded): counted and reported, the run goes on.
                    if (Interlocked.Increment(ref _failed) <= 3)
                    {
                        WorkerHost.Progress("  raise failed: " + e.GetType().Name + ": " + e.Message.Split('\n')[0]);
                    }
                }
            }
        }));
        return records;
    }
}
