using System.Globalization;
using Webhooks.Functions.Api;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Endpoints;

namespace Webhooks.Functions.Portal;

/// <summary>
/// The endpoint form of the portal's endpoint pages, read under the API's rules (<see cref="EndpointChanges"/>): an
/// empty description or rate limit clears it, and no event type ticked means every type.
/// </summary>
internal sealed class EndpointForm
{
    public string? Url { get; set; }
    public string? Description { get; set; }
    public List<string> EventTypes { get; set; } = [];
    public string? RateLimit { get; set; }

    public static EndpointForm From(EndpointEntity endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new EndpointForm
        {
            Url = endpoint.Url,
            Description = endpoint.Description,
            EventTypes = endpoint.EventTypeList?.ToList() ?? [],
            RateLimit = endpoint.RateLimitPerSecond?.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Every field as a change; problems go to <paramref name="validation"/> under the fields' labels.</summary>
    public EndpointChanges Read(RequestValidation validation, bool requireHttps)
    {
        ArgumentNullException.ThrowIfNull(validation);
        var url = Url?.Trim() ?? "";
        if (url.Length == 0)
        {
            validation.Add("URL", "is required.");
        }
        else if (WebhookUrlRules.Check(url, requireHttps) is { } urlError)
        {
            validation.Add("URL", urlError);
        }

        var description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim();
        if (description?.Length > EndpointRules.MaxDescriptionLength)
        {
            validation.Add("Description", $"must be at most {EndpointRules.MaxDescriptionLength} characters.");
        }

        IReadOnlyList<string>? types = null;
        if (EventTypes.Count > 0)
        {
            var typeErrors = new RequestValidation();
            types = EndpointChanges.CheckEventTypes(typeErrors, EventTypes, "Event types");
            if (!typeErrors.IsValid)
            {
                validation.Add("Event types", "must be event types an endpoint can receive, each once.");
            }
        }

        int? rate = null;
        if (!string.IsNullOrWhiteSpace(RateLimit))
        {
            if (int.TryParse(RateLimit.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var perSecond)
                && perSecond is >= EndpointRules.MinRateLimitPerSecond and <= EndpointRules.MaxRateLimitPerSecond)
            {
                rate = perSecond;
            }
            else
            {
                validation.Add("Rate limit", $"must be a whole number from {EndpointRules.MinRateLimitPerSecond} to {EndpointRules.MaxRateLimitPerSecond:N0}, or empty for no limit.");
            }
        }

        return new EndpointChanges(Optional<string>.Of(url), Optional<string?>.Of(description), Optional<IReadOnlyList<string>?>.Of(types), Optional<int?>.Of(rate));
    }
}
