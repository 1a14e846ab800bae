namespace Webhooks.Receiver;

/// <summary>The JSON body of a <c>200</c> answer: <c>{"event_id":"event_…","duplicate":false}</c>.</summary>
/// <param name="EventId">The id of the acknowledged event.</param>
/// <param name="Duplicate"><see langword="true"/> when the event had been processed before and the handler did not run.</param>
public sealed record WebhookAcknowledgement(string EventId, bool Duplicate);
