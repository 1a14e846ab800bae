using System.Text.Json;

namespace Webhooks.Functions.Events;

/// <summary><c>GET /v1/events/{id}</c>: the event, its <c>data</c> as the JSON object the envelope carries, every delivery and attempt.</summary>
internal sealed record EventDetail(
    string Id, string Object, DateTimeOffset CreatedAt, string? ResourceId, JsonElement Data, IReadOnlyList<DeliveryDetail> Deliveries);
