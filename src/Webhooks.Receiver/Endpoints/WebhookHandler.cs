namespace Webhooks.Receiver;

/// <summary>
/// Handles one verified, not yet processed event. Complete normally to acknowledge it (<c>200</c>); throw to have the
/// sender retry it (<c>500</c>), in which case the event is not recorded as processed.
/// </summary>
/// <param name="context">The event and the request it came with.</param>
/// <param name="cancellationToken">Signalled when the request is aborted.</param>
/// <returns>A task that completes when the event is handled.</returns>
public delegate Task WebhookHandler(WebhookContext context, CancellationToken cancellationToken);
