using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Webhooks.Receiver;

/// <summary>
/// The request body of every Webhooks.Functions delivery attempt:
/// <c>{"id","object","timestamp","delivery_attempt","data"}</c>.
/// </summary>
public sealed record WebhookEnvelope
{
    // Epoch milliseconds of 9999-12-31T23:59:59.999Z, the last instant DateTimeOffset can hold.
    private const long MaxEpochMilliseconds = 253_402_300_799_999;

    /// <summary>The event id, <c>event_…</c>: the same on every attempt and every redelivery of the event.</summary>
    public required string Id { get; init; }

    /// <summary>The event type, one of <see cref="WebhookEventTypes"/> (JSON <c>object</c>).</summary>
    [JsonPropertyName("object")]
    public required string EventType { get; init; }

    /// <summary>When this attempt was sent, epoch milliseconds.</summary>
    public required long Timestamp { get; init; }

    /// <summary>This attempt's position, <c>attempt/max_attempts</c>, e.g. <c>1/5</c>.</summary>
    public required string DeliveryAttempt { get; init; }

    /// <summary>The job object (or the ping's payload) as raw JSON; see <see cref="GetBatch"/> and <see cref="GetCrawl"/>.</summary>
    public required JsonElement Data { get; init; }

    /// <summary><see cref="Timestamp"/> as a point in time.</summary>
    [JsonIgnore]
    public DateTimeOffset SentAt => DateTimeOffset.FromUnixTimeMilliseconds(Timestamp);

    /// <summary>Reads <see cref="Data"/> as the batch of an <c>event.batch.completed</c> event.</summary>
    /// <returns>The batch object.</returns>
    /// <exception cref="InvalidOperationException">The event is not <see cref="WebhookEventTypes.BatchCompleted"/>.</exception>
    /// <exception cref="JsonException">The data does not have the batch object's shape.</exception>
    public BatchCompletedData GetBatch()
    {
        EnsureType(WebhookEventTypes.BatchCompleted);
        return Data.Deserialize<BatchCompletedData>(WebhookJson.SerializerOptions)
            ?? throw new JsonException("The event data is null.");
    }

    /// <summary>Reads <see cref="Data"/> as the crawl of an <c>event.crawl.completed</c> or <c>event.crawl.failed</c> event.</summary>
    /// <returns>The crawl object.</returns>
    /// <exception cref="InvalidOperationException">The event is not a crawl event.</exception>
    /// <exception cref="JsonException">The data does not have the crawl object's shape.</exception>
    public CrawlData GetCrawl()
    {
        EnsureType(WebhookEventTypes.CrawlCompleted, WebhookEventTypes.CrawlFailed);
        return Data.Deserialize<CrawlData>(WebhookJson.SerializerOptions)
            ?? throw new JsonException("The event data is null.");
    }

    /// <summary>Parses and checks an envelope from the raw UTF-8 body.</summary>
    /// <param name="utf8Json">The request body.</param>
    /// <param name="envelope">The envelope, when the body is one.</param>
    /// <param name="error">Why the body is not an envelope, when it is not.</param>
    /// <returns><see langword="true"/> when the body is a well-formed envelope.</returns>
    public static bool TryParse(
        ReadOnlySpan<byte> utf8Json,
        [NotNullWhen(true)] out WebhookEnvelope? envelope,
        [NotNullWhen(false)] out string? error)
    {
        envelope = null;
        try
        {
            var parsed = JsonSerializer.Deserialize<WebhookEnvelope>(utf8Json, WebhookJson.SerializerOptions);
            if (parsed is null)
            {
                error = "The body is JSON null, not an event envelope.";
                return false;
            }

            error = Validate(parsed);
            if (error is not null)
            {
                return false;
            }

            envelope = parsed;
            return true;
        }
        catch (JsonException ex)
        {
            error = "The body is not an event envelope: " + ex.Message;
            return false;
        }
    }

    /// <summary>Parses and checks an envelope from the raw UTF-8 body.</summary>
    /// <param name="utf8Json">The request body.</param>
    /// <returns>The envelope.</returns>
    /// <exception cref="FormatException">The body is not a well-formed envelope.</exception>
    public static WebhookEnvelope Parse(ReadOnlySpan<byte> utf8Json) =>
        TryParse(utf8Json, out var envelope, out var error) ? envelope : throw new FormatException(error);

    private static string? Validate(WebhookEnvelope envelope)
    {
        if (string.IsNullOrWhiteSpace(envelope.Id))
        {
            return "The envelope's id is empty.";
        }

        if (string.IsNullOrWhiteSpace(envelope.EventType))
        {
            return "The envelope's object (event type) is empty.";
        }

        if (envelope.Timestamp is <= 0 or > MaxEpochMilliseconds)
        {
            return "The envelope's timestamp is not a positive epoch in milliseconds.";
        }

        return envelope.Data.ValueKind == JsonValueKind.Object ? null : "The envelope's data is not a JSON object.";
    }

    private void EnsureType(params string[] expected)
    {
        if (!expected.Contains(EventType, StringComparer.Ordinal))
        {
            throw new InvalidOperationException(
                $"The event is '{EventType}', not {string.Join(" or ", expected.Select(e => $"'{e}'"))}.");
        }
    }
}
