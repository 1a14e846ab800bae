using Microsoft.Extensions.Logging;

namespace Webhooks.Receiver;

/// <summary>Log messages of the receiver endpoint; none carries a secret, a signature or a body.</summary>
internal static partial class Logs
{
    [LoggerMessage(1, LogLevel.Warning, "Webhook rejected ({Failure}): {Reason} Delivery {DeliveryId}")]
    public static partial void SignatureRejected(ILogger logger, WebhookVerificationFailure failure, string reason, string? deliveryId);

    [LoggerMessage(2, LogLevel.Warning, "Webhook body is not an event envelope: {Reason} Delivery {DeliveryId}")]
    public static partial void MalformedEnvelope(ILogger logger, string reason, string? deliveryId);

    [LoggerMessage(3, LogLevel.Warning, "Webhook body exceeds {MaxBodyBytes} bytes. Delivery {DeliveryId}")]
    public static partial void BodyTooLarge(ILogger logger, long maxBodyBytes, string? deliveryId);

    [LoggerMessage(4, LogLevel.Information, "Webhook event {EventId} already processed; delivery {DeliveryId} acknowledged as duplicate")]
    public static partial void Duplicate(ILogger logger, string eventId, string? deliveryId);

    [LoggerMessage(5, LogLevel.Information, "Webhook event {EventId} is being processed by another request; delivery {DeliveryId} answered 409")]
    public static partial void InProgress(ILogger logger, string eventId, string? deliveryId);

    [LoggerMessage(6, LogLevel.Information, "Webhook event {EventId} ({EventType}) processed from delivery {DeliveryId} attempt {Attempt}")]
    public static partial void Processed(ILogger logger, string eventId, string eventType, string? deliveryId, string? attempt);

    [LoggerMessage(7, LogLevel.Error, "Webhook handler failed for event {EventId} delivery {DeliveryId}; the sender will retry")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string eventId, string? deliveryId);
}
