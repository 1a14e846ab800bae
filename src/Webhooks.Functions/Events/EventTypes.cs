namespace Webhooks.Functions.Events;

/// <summary>The event types of SPEC §4, as they appear in the envelope's <c>object</c> and <c>X-Webhook-Event</c>.</summary>
internal static class EventTypes
{
    public const string BatchCompleted = "event.batch.completed";
    public const string CrawlCompleted = "event.crawl.completed";
    public const string CrawlFailed = "event.crawl.failed";
    public const string Ping = "event.ping";

    public static readonly string[] All = [BatchCompleted, CrawlCompleted, CrawlFailed, Ping];
}
