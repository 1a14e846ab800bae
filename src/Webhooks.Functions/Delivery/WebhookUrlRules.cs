namespace Webhooks.Functions.Delivery;

/// <summary>What a webhook URL may be (SPEC §3): absolute http(s), at most 2,048 characters, no fragment, no user-info.</summary>
internal static class WebhookUrlRules
{
    public const int MaxLength = 2048;

    /// <summary>Null when <paramref name="url"/> is acceptable, else why not.</summary>
    public static string? Check(string url, bool requireHttps)
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
        if (url.Contains('#', StringComparison.Ordinal))
        {
            return "must not contain a fragment (#...).";
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "must not contain a user name or password.";
        }
        if (requireHttps && uri.Scheme != Uri.UriSchemeHttps)
        {
            return "must use https.";
        }
        return null;
    }
}
