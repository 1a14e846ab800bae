using Azure.Data.Tables;
using Webhooks.Functions.Events;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Jobs;

/// <summary>
/// The one settle-and-publish path of every job, batch or crawl. A settle is one table transaction of the job's rows
/// (conditional on their ETags); the settle that ends the job carries its completion event and deliveries in the same
/// transaction (<see cref="EventRaiser.PrepareAsync"/>), so exactly one worker raises it. After that commit, and
/// outside any lock, <see cref="PublishAsync"/> starts the deliveries; the work message is deleted only after that. A
/// worker that finds its job ended already calls <see cref="ResumeAsync"/>, which starts whatever was not started.
/// </summary>
internal sealed class JobSettlement(StorageAccount storage, EventRaiser events)
{
    /// <summary>
    /// Commits <paramref name="actions"/>, the job row at <paramref name="jobAction"/>; with <paramref name="ending"/>,
    /// the job's completion event and its deliveries join the transaction. A conflict (another worker settled first,
    /// <see cref="Storage.StorageErrors.IsWriteConflict"/>) is the storage's exception, for the caller to reload and re-apply.
    /// </summary>
    public async Task<JobSettle> SettleAsync(
        List<TableTransactionAction> actions, int jobAction, JobEnding? ending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actions);
        RaisedEvent? raised = null;
        if (ending is not null)
        {
            raised = await events.PrepareAsync(ending.TeamId, ending.JobId, ending.EventType, ending.DataJson, ending.Webhook, cancellationToken);
            actions.AddRange(raised.TransactionActions);
        }
        var responses = await storage.Jobs.SubmitTransactionAsync(actions, cancellationToken);
        return new JobSettle(responses.Value[jobAction].Headers.ETag, raised);
    }

    /// <summary>After a settle committed, holding no lock: starts the deliveries of the event it raised, if it raised one.</summary>
    public Task PublishAsync(JobSettle settle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settle);
        return settle.Raised is null ? Task.CompletedTask : events.PublishAsync(settle.Raised, cancellationToken);
    }

    /// <summary>For a job found ended: its completion committed before, so start whatever of its event was not started.</summary>
    public Task ResumeAsync(string jobId, CancellationToken cancellationToken) => events.ResumeAsync(jobId, cancellationToken);
}
