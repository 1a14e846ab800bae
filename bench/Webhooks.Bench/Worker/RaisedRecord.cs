namespace Webhooks.Bench.Worker;

/// <param name="EventId">The raised event.</param>
/// <param name="Endpoint">Index of the receiver endpoint it was sent to.</param>
/// <param name="RaisedAt">Monotonic time just before its completion transaction.</param>
internal sealed record RaisedRecord(string EventId, int Endpoint, long RaisedAt);
