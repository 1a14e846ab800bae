namespace Webhooks.Functions.Tests.Reliability;

/// <summary>
/// A job the crash test created, with what it must end as: the expected final status and counters follow from its
/// URLs (see <see cref="TestSite"/>), the expected delivery outcome from its receiver's behaviour.
/// </summary>
public sealed record PlannedJob(
    string Id,
    string Kind,
    int Phase,
    ReceiverBehaviour Receiver,
    string ExpectedStatus,
    int ExpectedSucceeded,
    int? ExpectedFailed)
{
    /// <summary>SPEC §4: the event id is deterministic from the job (same 16-character suffix).</summary>
    public string EventId => "event_" + Id[(Id.IndexOf('_', StringComparison.Ordinal) + 1)..];

    public string EventType => Kind == "batch" ? "event.batch.completed"
        : ExpectedStatus == "failed" ? "event.crawl.failed" : "event.crawl.completed";

    public string Location => Kind == "batch" ? $"/v1/batches/{Id}" : $"/v1/crawls/{Id}";

    public bool ShouldBeDelivered => Receiver != ReceiverBehaviour.AlwaysFail;
}
