namespace Webhooks.Functions.Delivery;

/// <param name="Url">With <see cref="GateVerdict.Send"/>: where to send when the destination has moved (its URL was changed since the delivery was made).</param>
internal sealed record GateDecision(GateVerdict Verdict, DateTimeOffset? WaitUntil = null, string? Reason = null, string? Url = null)
{
    /// <summary>The <c>LastError</c> of a delivery ended because its endpoint was deleted (SPEC §8).</summary>
    public const string EndpointDeletedReason = "endpoint deleted";

    public static readonly GateDecision Send = new(GateVerdict.Send);

    public static readonly GateDecision Park = new(GateVerdict.Park);

    public static GateDecision SendTo(string url) => new(GateVerdict.Send, Url: url);

    public static GateDecision WaitFor(DateTimeOffset until) => new(GateVerdict.Wait, until);

    public static GateDecision Fail(string reason) => new(GateVerdict.Fail, Reason: reason);
}
