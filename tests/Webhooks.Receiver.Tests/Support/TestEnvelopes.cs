namespace Webhooks.Receiver.Tests.Support;

/// <summary>Compact envelope bodies shaped like the sender's.</summary>
internal static class TestEnvelopes
{
    public static string Batch(string eventId, long sentAtMs = 1737570000000) =>
        $$$"""{"id":"{{{eventId}}}","object":"event.batch.completed","timestamp":{{{sentAtMs}}},"delivery_attempt":"1/5","data":{"id":"batch_k2j4h6g8f0d1s3a5","object":"batch","status":"completed","items_total":3,"items_completed":2,"items_failed":1,"created_at":"2025-01-22T18:19:30Z","completed_at":"2025-01-22T18:20:00Z","webhook":"https://receiver.example/hooks"}}""";

    public static string CrawlFailed(string eventId) =>
        $$$"""{"id":"{{{eventId}}}","object":"event.crawl.failed","timestamp":1737570000000,"delivery_attempt":"2/4","data":{"id":"crawl_q1w2e3r4t5y6u7i8","object":"crawl","status":"failed","start_url":"https://example.com/","urls_count":0,"pages_failed":1,"max_pages":10,"max_depth":null,"actual_max_depth":0,"start_epoch":1737569990000,"start_date":"2025-01-22","completed_at":"2025-01-22T18:20:00Z","error":"Root URL returned 403 Forbidden","webhook":null}}""";

    public static string NewEventId() => "event_" + Guid.NewGuid().ToString("N")[..16];
}
