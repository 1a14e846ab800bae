using Webhooks.Bench.Infrastructure;
using Webhooks.Functions;
using Webhooks.Functions.Events;

namespace Webhooks.Bench.Worker;

/// <summary>
/// Raises completion events the way the job engine does (EventRaiser.PrepareAsync, the completion transaction with
/// <c>raised.TransactionActions</c>, PublishAsync, which starts the delivery's orchestration), each to the next of the
/// receiver's endpoints in turn. The raise time is taken before PrepareAsync, when the job engine starts completing
/// the job.
/// </summary>
/// <para>
/// With <c>fanOut</c> n, events name no webhook: each goes to the team's n endpoints (set up by the scenario), so one
/// raise makes n deliveries.
/// </para>
/// <para>
/// By default <paramref name="app"/> also delivers, and its counter tells when first attempts are recorded. When another
/// process delivers (<see cref="AppUnderTest.ComposeBeside"/>), <paramref name="attemptsRecordedElsewhere"/> says how
/// many it has recorded since this driver was made.
/// </para>
internal sealed class EventDriver(AppUnderTest app, IReadOnlyList<string> urls, int fanOut = 0, Func<long>? attemptsRecordedElsewhere = null)
{
    /// <summary>Every delivery writes two jobs-table transactions: the completion (event + delivery) and its first attempt.</summary>
    public const string JobsBatch = "table jobs batch";

    private readonly long _transactionsAtStart = app.Counter.Completed(JobsBatch);
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

    /// <summary>Deliveries each raise makes.</summary>
    public int DeliveriesPerRaise { get; } = Math.Max(1, fanOut);

    /// <summary>First attempts recorded (each one jobs-table transaction beside the completions) since this driver was made.</summary>
    public long AttemptsRecorded => attemptsRecordedElsewhere?.Invoke() ?? app.Counter.Completed(JobsBatch) - _transactionsAtStart - Committed;

    /// <summary>
    /// Keeps <paramref name="inFlight"/> deliveries in flight, as the engine ceiling keeps its instances: a raise starts
    /// whenever a delivery's first attempt has been recorded, until <paramref name="count"/> were raised or
    /// <paramref name="stopRaising"/> is cancelled (raises in flight finish). One poller hands out the freed slots.
    /// </summary>
    public async Task RaiseKeepingInFlightAsync(int inFlight, int count, CancellationToken stopRaising)
    {
        // A raise takes a slot per delivery it makes; with fewer raisers than slots, partly filled raisers cannot deadlock.
        var perRaise = DeliveriesPerRaise;
        var raisers = Math.Max(1, inFlight / perRaise);
        using var slots = new SemaphoreSlim(raisers * perRaise);
        using var done = new CancellationTokenSource();
        var handedOut = 0L;
        var poller = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                var freed = AttemptsRecorded + (Failed * perRaise) - handedOut;
                if (freed > 0)
                {
                    handedOut += freed;
                    slots.Release((int)freed);
                }
                await Task.Delay(2, CancellationToken.None);
            }
        }, CancellationToken.None);
        var remaining = count;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, raisers).Select(async _ =>
            {
                while (!stopRaising.IsCancellationRequested && Interlocked.Decrement(ref remaining) >= 0)
                {
                    try
                    {
                        for (var slot = 0; slot < perRaise; slot++)
                        {
                            await slots.WaitAsync(stopRaising);
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    await RaiseOneAsync();
                }
            }));
        }
        finally
        {
            await done.CancelAsync();
            await poller;
        }
    }

    public async Task<RaisedRecord> RaiseAsync(CancellationToken cancellationToken)
    {
        var raise = Interlocked.Increment(ref _next);
        var index = fanOut > 0 ? 0 : (int)(raise % urls.Count);
        var url = fanOut > 0 ? null : urls[index];
        var jobId = Ids.New("batch");
        var data = "{\"id\":\"" + jobId + "\",\"object\":\"batch\",\"status\":\"completed\",\"items_total\":100,\"items_completed\":98," +
            "\"items_failed\":2,\"created_at\":\"2025-01-22T18:20:00Z\",\"completed_at\":\"2025-01-22T18:21:07Z\",\"webhook\":" +
            (url is null ? "null" : "\"" + url + "\"") + "}";
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

    /// <summary>One raise; a failure (storage gave up, Azurite overloaded) is counted and reported, and the run goes on.</summary>
    private async Task<RaisedRecord?> RaiseOneAsync()
    {
        try
        {
            return await RaiseAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            if (Interlocked.Increment(ref _failed) <= 3)
            {
                WorkerHost.Progress("  raise failed: " + e.GetType().Name + ": " + e.Message.Split('\n')[0]);
            }
            return null;
        }
    }
}
