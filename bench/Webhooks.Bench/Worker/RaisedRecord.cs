namespace Webhooks.Bench.Worker;

/// <param name="EventId">The raised event.</param>
/// <param name="Endpoint">Index of the receiver endpoint it was sent to.</param>
/// <param name="RaisedAt">Monotonic time just before its completion transaction.</param>
/// <param name="CommittedAt">When the completion transaction returned.</param>
/// <param name="PublishedAt">When PublishAsync returned (a guard message covers the delivery; the first attempt starts after).</param>
internal sealed record RaisedRecord(string EventId, int Endpoint, long RaisedAt, long CommittedAt, long PublishedAt);
