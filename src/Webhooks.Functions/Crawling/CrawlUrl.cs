namespace Webhooks.Functions.Crawling;

/// <summary>URL rules of a crawl: normal form (for "fetched at most once") and the same-site test.</summary>
internal static class CrawlUrl
{
    /// <summary>
    /// Lowercase scheme and host, default port removed, empty path as <c>/</c>, fragment and user-info dropped;
    /// null for anything but http(s).
    /// </summary>
    public static Uri? Normalize(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(url.Host))
        {
            return null;
        }
        return new Uri(url.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped));
    }

    /// <summary>Scheme, host and (non-default) port: two URLs are on the same site when these are equal.</summary>
    public static string Origin(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
    }
}
