using Microsoft.AspNetCore.Http;

namespace Webhooks.Receiver;

/// <summary>The header values a <see cref="WebhookVerifier"/> looks at; any of them may be absent.</summary>
public sealed record WebhookSignatureHeaders
{
    /// <summary>The <c>webhook-id</c> value.</summary>
    public string? WebhookId { get; init; }

    /// <summary>The <c>webhook-timestamp</c> value.</summary>
    public string? WebhookTimestamp { get; init; }

    /// <summary>The <c>webhook-signature</c> value (space-separated <c>v1,…</c> signatures).</summary>
    public string? WebhookSignature { get; init; }

    /// <summary>The <c>X-Webhook-Timestamp</c> value.</summary>
    public string? HexTimestamp { get; init; }

    /// <summary>The <c>X-Webhook-Signature</c> value.</summary>
    public string? HexSignature { get; init; }

    /// <summary>Reads the signature headers from an ASP.NET Core request (header names are case-insensitive).</summary>
    /// <param name="headers">The request headers.</param>
    /// <returns>The values found; a header sent more than once is joined with spaces.</returns>
    public static WebhookSignatureHeaders FromHttpHeaders(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return new WebhookSignatureHeaders
        {
            WebhookId = Read(headers, WebhookHeaders.Id),
            WebhookTimestamp = Read(headers, WebhookHeaders.Timestamp),
            WebhookSignature = Read(headers, WebhookHeaders.Signature),
            HexTimestamp = Read(headers, WebhookHeaders.HexTimestamp),
            HexSignature = Read(headers, WebhookHeaders.HexSignature),
        };
    }

    // Several signature headers are equivalent to one space-separated header; for the other headers a repeated value
    // becomes unparseable, which is the safe outcome.
    private static string? Read(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count > 0 ? string.Join(' ', values.ToArray()) : null;
}
