using System.Net.Http.Headers;
using System.Text;

namespace Webhooks.Receiver.Tests.Support;

/// <summary>
/// Builds a delivery attempt the way the sender does: both signature schemes, every secret in
/// <c>webhook-signature</c>, the newest one in <c>X-Webhook-Signature</c>.
/// </summary>
internal sealed record SignedDelivery(string EventId, long Timestamp, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public byte[] BodyBytes => Encoding.UTF8.GetBytes(Body);

    public static SignedDelivery Create(string body, string eventId, DateTimeOffset sentAt, params string[] secrets)
    {
        var timestamp = sentAt.ToUnixTimeSeconds();
        var bytes = Encoding.UTF8.GetBytes(body);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [WebhookHeaders.Id] = eventId,
            [WebhookHeaders.Timestamp] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [WebhookHeaders.Signature] = string.Join(' ', secrets.Select(s => WebhookSignatures.ComputeStandardSignature(s, eventId, timestamp, bytes))),
            [WebhookHeaders.HexTimestamp] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [WebhookHeaders.HexSignature] = WebhookSignatures.ComputeHexSignature(secrets[0], timestamp, bytes),
            [WebhookHeaders.Event] = WebhookEventTypes.BatchCompleted,
            [WebhookHeaders.DeliveryId] = "dlv_" + Guid.NewGuid().ToString("N")[..16],
            [WebhookHeaders.Attempt] = "1/5",
        };
        return new SignedDelivery(eventId, timestamp, body, headers);
    }

    public SignedDelivery Without(params string[] headerNames)
    {
        var headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase);
        foreach (var name in headerNames)
        {
            headers.Remove(name);
        }

        return this with { Headers = headers };
    }

    public SignedDelivery WithHeader(string name, string value)
    {
        var headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase) { [name] = value };
        return this with { Headers = headers };
    }

    public WebhookSignatureHeaders SignatureHeaders => new()
    {
        WebhookId = Headers.GetValueOrDefault(WebhookHeaders.Id),
        WebhookTimestamp = Headers.GetValueOrDefault(WebhookHeaders.Timestamp),
        WebhookSignature = Headers.GetValueOrDefault(WebhookHeaders.Signature),
        HexTimestamp = Headers.GetValueOrDefault(WebhookHeaders.HexTimestamp),
        HexSignature = Headers.GetValueOrDefault(WebhookHeaders.HexSignature),
    };

    public HttpRequestMessage ToRequest(Uri url, string? bodyOverride = null)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(bodyOverride ?? Body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
