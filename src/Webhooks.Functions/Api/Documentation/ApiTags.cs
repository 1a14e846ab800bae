namespace Webhooks.Functions.Api.Documentation;

/// <summary>The tags that group operations in the reference and in generated clients, each with what it is for.</summary>
internal static class ApiTags
{
    public const string Batches = "Batches";
    public const string Crawls = "Crawls";
    public const string Events = "Events";
    public const string Deliveries = "Deliveries";
    public const string Endpoints = "Endpoints";
    public const string Stats = "Stats";
    public const string Webhooks = "Webhooks";
    public const string Team = "Team";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<(string Name, string Description)> All =
    [
        (Batches, "Fetch a list of URLs; `event.batch.completed` is raised when every item has settled."),
        (Crawls, "Follow links from a start URL; `event.crawl.completed` or `event.crawl.failed` is raised at the end."),
        (Events, "Every event raised for your team, with its deliveries and their attempts; redeliver one."),
        (Deliveries, "Deliveries across events: list them by status and time, recover the failed ones of a window."),
        (Endpoints, "Where your events go: URLs each receiving the event types it asks for, with a rate cap, health and recovery after being disabled."),
        (Stats, "Delivery figures over time: attempts, deliveries, failures by class and latency percentiles, hourly or daily."),
        (Webhooks, "Check a receiver with a signed `event.ping`."),
        (Team, "Your team's settings and signing secret."),
        (Admin, "Operators: create teams."),
    ];
}
