namespace Webhooks.Bench.Receiver;

/// <param name="Ok">200 answers given.</param>
/// <param name="DistinctOk">Distinct event ids answered 200 (Ok − DistinctOk are duplicates, allowed by at-least-once).</param>
/// <param name="Failed">500 answers given.</param>
/// <param name="Hung">Requests held without an answer.</param>
internal sealed record ReceiverStats(long Ok, long DistinctOk, long Failed, long Hung);
