namespace Webhooks.Functions.Jobs;

/// <summary>
/// One kind of job that the <c>jobs</c> queue runs, for <see cref="JobsQueueHandler"/>: batches
/// (<see cref="BatchWorker"/>) here, crawls by the Crawling feature, which builds on Jobs and implements this port.
/// </summary>
internal interface IJobWorker
{
    /// <summary>The kind (<see cref="JobKinds"/>), which is also the prefix of its jobs' ids.</summary>
    string Kind { get; }

    /// <summary>Whether <paramref name="message"/>, whose job id is of this kind, is one this worker can run.</summary>
    bool Accepts(JobMessage message);

    Task RunAsync(JobMessage message, CancellationToken cancellationToken);
}
