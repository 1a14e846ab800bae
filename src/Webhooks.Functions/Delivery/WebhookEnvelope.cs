using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Webhooks.Functions.Delivery;

/// <summary>The request body of every attempt (SPEC §4): <c>{id, object, timestamp, delivery_attempt, data}</c>.</summary>
internal static class WebhookEnvelope
{
    public static byte[] Write(string eventId, string eventType, long timestampMs, string deliveryAttempt, string dataJson)
    {
        using var data = JsonDocument.Parse(dataJson);
        var output = new ArrayBufferWriter<byte>(dataJson.Length + 160);
        CanonicalJson.Write(output, "{\"id\":");
        CanonicalJson.WriteString(output, eventId);
        CanonicalJson.Write(output, ",\"object\":");
        CanonicalJson.WriteString(output, eventType);
        CanonicalJson.Write(output, ",\"timestamp\":" + timestampMs.ToString(CultureInfo.InvariantCulture));
        CanonicalJson.Write(output, ",\"delivery_attempt\":");
        CanonicalJson.WriteString(output, deliveryAttempt);
        CanonicalJson.Write(output, ",\"data\":");
        CanonicalJson.WriteValue(output, data.RootElement);
        CanonicalJson.Write(output, "}");
        return output.WrittenSpan.ToArray();
    }
}
