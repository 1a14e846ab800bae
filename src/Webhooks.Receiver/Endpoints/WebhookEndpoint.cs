using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace Webhooks.Receiver;

/// <summary>The request pipeline of one mapped webhook route: read, verify, parse, de-duplicate, handle.</summary>
internal sealed class WebhookEndpoint(
    WebhookVerifier verifier,
    IWebhookIdempotencyStore store,
    TimeSpan processingLease,
    long maxBodyBytes,
    WebhookHandler handler,
    ILogger logger)
{
    private const int ReadChunkBytes = 16 * 1024;

    public async Task<IResult> HandleAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        var cancellationToken = httpContext.RequestAborted;
        var deliveryId = request.Headers[WebhookHeaders.DeliveryId].ToString();

        var body = await ReadBodyAsync(request, maxBodyBytes, cancellationToken);
        if (body is null)
        {
            Logs.BodyTooLarge(logger, maxBodyBytes, deliveryId);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Webhook body too large",
                detail: $"The body exceeds {maxBodyBytes} bytes.");
        }

        var verification = verifier.Verify(request.Headers, body);
        if (!verification.IsValid)
        {
            Logs.SignatureRejected(logger, verification.Failure, verification.Message, deliveryId);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Webhook signature rejected",
                detail: verification.Message,
                extensions: new Dictionary<string, object?> { ["reason"] = verification.Failure.ToString() });
        }

        if (!WebhookEnvelope.TryParse(body, out var envelope, out var error))
        {
            Logs.MalformedEnvelope(logger, error, deliveryId);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest, title: "Malformed webhook event", detail: error);
        }

        switch (await store.TryClaimAsync(envelope.Id, processingLease, cancellationToken))
        {
            case WebhookClaimResult.AlreadyProcessed:
                Logs.Duplicate(logger, envelope.Id, deliveryId);
                return Acknowledge(envelope.Id, duplicate: true);
            case WebhookClaimResult.InProgress:
                // Not a 2xx: the other request may still fail, so the sender must try this delivery again later.
                Logs.InProgress(logger, envelope.Id, deliveryId);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Webhook event in progress",
                    detail: $"Event {envelope.Id} is being processed by another request; retry later.");
        }

        var context = new WebhookContext(envelope, httpContext, verification, body);
        try
        {
            await handler(context, cancellationToken);
        }
        catch (Exception ex)
        {
            // The claim is given back whatever happened, so the sender's next attempt processes the event.
            await store.ReleaseAsync(envelope.Id, CancellationToken.None);
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            Logs.HandlerFailed(logger, ex, envelope.Id, deliveryId);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status500InternalServerError,
                title: "Webhook handler failed",
                detail: $"Event {envelope.Id} was not processed; it will be accepted again on the next attempt.");
        }

        await store.MarkProcessedAsync(envelope.Id, CancellationToken.None);
        Logs.Processed(logger, envelope.Id, envelope.EventType, deliveryId, context.Attempt);
        return Acknowledge(envelope.Id, duplicate: false);
    }

    private static JsonHttpResult<WebhookAcknowledgement> Acknowledge(string eventId, bool duplicate) =>
        TypedResults.Json(new WebhookAcknowledgement(eventId, duplicate), WebhookJson.SerializerOptions);

    /// <summary>Reads the whole body, or returns <see langword="null"/> as soon as it exceeds <paramref name="maxBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : ReadChunkBytes);
        var chunk = new byte[ReadChunkBytes];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
