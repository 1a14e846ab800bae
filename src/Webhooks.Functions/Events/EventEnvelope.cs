namespace Webhooks.Functions.Events;

/// <summary>
/// The shape of the body of every attempt, for the OpenAPI document's <c>webhooks</c>; the bytes themselves are
/// written by <see cref="Delivery.WebhookEnvelope"/>, whose names and order this record follows.
/// </summary>
internal sealed record EventEnvelope<TData>(string Id, string Object, long Timestamp, string DeliveryAttempt, TData Data);
