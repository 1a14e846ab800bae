namespace Webhooks.Functions.Outbound;

/// <summary>The outgoing HTTP clients, each a <see cref="SocketsHttpHandler"/> behind <see cref="GuardedConnector"/>.</summary>
internal static class HttpClientNames
{
    /// <summary>Webhook attempts: redirects are never followed (a 3xx is a failed attempt).</summary>
    public const string Webhooks = "webhooks";

    /// <summary>Batch and crawl fetches: up to 5 redirects, each new connection guarded again.</summary>
    public const string PageFetch = "page-fetch";

    public const string UserAgent = "Webhooks.Functions/1.0";
}
