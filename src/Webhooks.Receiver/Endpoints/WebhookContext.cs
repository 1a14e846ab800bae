using Microsoft.AspNetCore.Http;

namespace Webhooks.Receiver;

/// <summary>A verified delivery handed to a <see cref="WebhookHandler"/>.</summary>
public sealed class WebhookContext
{
    internal WebhookContext(
        WebhookEnvelope envelope, HttpContext httpContext, WebhookVerificationResult verification, ReadOnlyMemory<byte> body)
    {
        Envelope = envelope;
        HttpContext = httpContext;
        Verification = verification;
        Body = body;

        // Copied now: the request's header collection is not usable once the response has been sent.
        DeliveryId = Header(httpContext, WebhookHeaders.DeliveryId);
        Attempt = Header(httpContext, WebhookHeaders.Attempt);
    }

    /// <summary>The parsed event.</summary>
    public WebhookEnvelope Envelope { get; }

    /// <summary>The HTTP request being answered; valid only until the handler's task completes.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>How the delivery was verified (scheme, signed timestamp).</summary>
    public WebhookVerificationResult Verification { get; }

    /// <summary>The raw body exactly as received and verified.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The <c>X-Webhook-Delivery-Id</c> header: stable across the automatic retries of one delivery.</summary>
    public string? DeliveryId { get; }

    /// <summary>The <c>X-Webhook-Attempt</c> header, <c>k/n</c>.</summary>
    public string? Attempt { get; }

    private static string? Header(HttpContext httpContext, string name) =>
        httpContext.Request.Headers.TryGetValue(name, out var value) && value.Count > 0 ? value.ToString() : null;
}
