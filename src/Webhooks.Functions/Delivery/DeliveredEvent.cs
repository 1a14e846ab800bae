namespace Webhooks.Functions.Delivery;

/// <summary>What a delivery sends of its event: the envelope's <c>id</c>, <c>object</c> and <c>data</c> (compact JSON).</summary>
internal sealed record DeliveredEvent(string EventId, string Type, string Data);
