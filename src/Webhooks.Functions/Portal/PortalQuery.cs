using Webhooks.Functions.Api;
using Webhooks.Functions.Events;

namespace Webhooks.Functions.Portal;

/// <summary>Query parameters the portal's filter forms share.</summary>
internal static class PortalQuery
{
    /// <summary>
    /// <c>since</c> and <c>until</c> as the list routes read them; a <c>datetime-local</c> input sends no zone, and the
    /// form labels its times UTC, which is how they are read.
    /// </summary>
    public static (DateTimeOffset? Since, DateTimeOffset? Until) TimeWindow(HttpRequest request, RequestValidation validation)
    {
        var since = ListQuery.Time(request, "since", validation);
        var until = ListQuery.Time(request, "until", validation);
        if (since is { } s && until is { } u && s >= u)
        {
            validation.Add("until", "must be later than since.");
        }
        return (since, until);
    }
}
