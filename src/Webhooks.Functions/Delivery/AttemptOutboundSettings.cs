namespace Webhooks.Functions.Delivery;

/// <summary>
/// What one attempt carries besides the envelope and its signatures (see <see cref="IAttemptOutbound"/>). Header values
/// and tokens are secrets of the customer: they go on the wire and nowhere else (no log line, no attempt row).
/// </summary>
/// <param name="Headers">Sent as they are; their names never clash with the headers the sender sets itself.</param>
/// <param name="Bearer">Where the <c>Authorization: Bearer</c> token comes from; null sends none.</param>
/// <param name="Client">The client to send with (one presenting a client certificate); null is the usual webhook client.</param>
internal sealed record AttemptOutboundSettings(IReadOnlyList<KeyValuePair<string, string>> Headers, IBearerTokenSource? Bearer, HttpClient? Client)
{
    public static readonly AttemptOutboundSettings None = new([], null, null);
}
