namespace Webhooks.Bench.Worker;

/// <param name="EventId">The raised event.</param>
/// <param name="Endpoint">Index of the receiver endpoint it was sent to.</param>
/// <param name="RaisedAt">Monotonic time just before PrepareAsync.</param>
/// <param name="PreparedAt">When PrepareAsync returned (team read, usually cached), just before the completion transaction.</param>
/// <param name="CommittedAt">When the completion transaction returned.</param>
/// <param name="PublishedAt">When PublishAsync returned: the delivery's orchestration is created.</param>
internal sealed record RaisedRecord(string EventId, int Endpoint, long RaisedAt, long PreparedAt, long CommittedAt, long PublishedAt);
