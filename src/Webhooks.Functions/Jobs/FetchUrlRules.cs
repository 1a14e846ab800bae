namespace Webhooks.Functions.Jobs;

/// <summary>What a URL to fetch may be (SPEC §3): absolute http(s) with a host, at most 2,048 characters.</summary>
internal static class FetchUrlRules
{
    public const int MaxLength = 2048;

    /// <summary>Null when acceptable, else why not.</summary>
    public static string? Check(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters.";
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
        {
            return "must be an absolute http or https URL.";
        }
        return null;
    }
}
