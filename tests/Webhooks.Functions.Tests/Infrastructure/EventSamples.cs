using System.Text.Json;
using System.Text.Json.Nodes;
using Webhooks.Functions.Api;
using Webhooks.Functions.Crawling;
using Webhooks.Functions.Events;
using Webhooks.Functions.Jobs;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// Event data as the product writes it, for tests that raise events themselves rather than run a job: the API's own
/// objects (serialized with the API's conventions), so that what these tests deliver conforms to schemas/ like a
/// real event does.
/// </summary>
public static class EventSamples
{
    /// <summary>The <c>data</c> of <c>event.batch.completed</c> for the batch <paramref name="batchId"/>.</summary>
    public static string BatchCompletedData(string batchId, string? webhook = null) =>
        JsonSerializer.Serialize(BatchResponse.Example with { Id = batchId, Webhook = webhook }, ApiJson.Options);

    /// <summary>The <c>data</c> of <c>event.crawl.completed</c> for the crawl <paramref name="crawlId"/>.</summary>
    public static string CrawlCompletedData(string crawlId, string? webhook = null) =>
        JsonSerializer.Serialize(CrawlResponse.Example with { Id = crawlId, Webhook = webhook }, ApiJson.Options);

    /// <summary>The <c>data</c> of <c>event.crawl.failed</c>, whose <c>error</c> is free text.</summary>
    public static string CrawlFailedData(string crawlId, string error, string? webhook = null) =>
        JsonSerializer.Serialize(CrawlResponse.FailedExample with { Id = crawlId, Error = error, Webhook = webhook }, ApiJson.Options);

    /// <summary>
    /// A whole envelope of <paramref name="eventType"/> as an attempt carries it. The operational events' data is the
    /// shape SPEC §8–9 give the endpoint, its health and a delivery.
    /// </summary>
    public static JsonObject Envelope(string eventType) => new()
    {
        ["id"] = "event_a1b2c3d4e5f6g7h8",
        ["object"] = eventType,
        ["timestamp"] = 1764669932000,
        ["delivery_attempt"] = "1/5",
        ["data"] = JsonNode.Parse(eventType switch
        {
            EventTypes.BatchCompleted => BatchCompletedData("batch_a1b2c3d4e5f6g7h8", "https://your-server.example/webhooks"),
            EventTypes.CrawlCompleted => CrawlCompletedData("crawl_a1b2c3d4e5f6g7h8"),
            EventTypes.CrawlFailed => CrawlFailedData("crawl_a1b2c3d4e5f6g7h8", "Root URL returned 403 Forbidden"),
            EventTypes.Ping => JsonSerializer.Serialize(new PingData("ping", "team_a1b2c3d4e5f6g7h8"), ApiJson.Options),
            EventTypes.EndpointFailing => EndpointData(disabled: false),
            EventTypes.EndpointDisabled => EndpointData(disabled: true),
            EventTypes.DeliveryExhausted => """
                {"delivery":{"id":"dlv_a1b2c3d4e5f6g7h8","event_id":"event_z9y8x7w6v5u4t3s2","event_type":"event.batch.completed",
                "url":"https://your-server.example/webhooks","status":"failed","attempt":"5/5","attempts_made":5,"max_attempts":5,
                "next_attempt_at":null,"delivered_at":null,"last_status_code":500,"last_error":"HTTP 500 Internal Server Error",
                "created_at":"2026-12-02T10:00:00Z","endpoint_id":"ep_a1b2c3d4e5f6g7h8"}}
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(eventType), eventType, "No sample of this event type."),
        }),
    };

    private static string EndpointData(bool disabled) => $$$"""
        {"endpoint":{"id":"ep_a1b2c3d4e5f6g7h8","object":"endpoint","url":"https://your-server.example/webhooks","description":"Orders",
        "event_types":["event.batch.completed","event.crawl.failed"],"rate_limit_per_s":10,"status":"{{{(disabled ? "disabled" : "enabled")}}}",
        "disabled_reason":{{{(disabled ? "\"95% of 20 attempts failed in P1D, none succeeded\"" : "null")}}},
        "created_at":"2026-12-01T09:00:00Z","updated_at":"2026-12-02T10:05:32Z","asymmetric_signing":false},
        "health":{"window":"P1D","attempts":20,"failures":{{{(disabled ? 20 : 17)}}},"last_success_at":{{{(disabled ? "null" : "\"2026-12-02T09:58:01Z\"")}}},
        "last_failure_at":"2026-12-02T10:05:32Z"}}
        """;
}
