using System.Text.Json;
using Webhooks.Functions.Api;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// A message of the <c>deliveries</c> queue: a guard (sent hidden before first attempts run, deleted once they are
/// recorded) or a durable timer (sent hidden until the next attempt is due). Either way it names deliveries, never
/// payloads; whoever receives it resumes each one from its table row.
/// </summary>
internal sealed record DeliveryMessage(IReadOnlyList<DeliveryRef> Deliveries)
{
    public const int MaxDeliveries = 100;

    public string ToJson() => JsonSerializer.Serialize(this, ApiJson.Options);

    public static DeliveryMessage Parse(string json) =>
        JsonSerializer.Deserialize<DeliveryMessage>(json, ApiJson.Options) is { Deliveries: not null } message
            ? message
            : throw new FormatException("Not a deliveries queue message.");
}
