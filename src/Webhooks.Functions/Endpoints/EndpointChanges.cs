using System.Text.Json;
using Webhooks.Functions.Api;
using Webhooks.Functions.Delivery;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// The fields of an endpoint a create or PATCH sets: a field that is absent keeps its value, one present as null is
/// cleared (description, event types, rate limit). A new endpoint is built here and nowhere else (<see cref="ToNewEndpoint"/>).
/// </summary>
internal sealed record EndpointChanges(
    Optional<string> Url,
    Optional<string?> Description,
    Optional<IReadOnlyList<string>?> EventTypes,
    Optional<int?> RateLimitPerSecond)
{
    public bool IsEmpty => !Url.HasValue && !Description.HasValue && !EventTypes.HasValue && !RateLimitPerSecond.HasValue;

    /// <summary>Applies the changes; false when they change nothing.</summary>
    public bool ApplyTo(EndpointEntity endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var before = (endpoint.Url, endpoint.Description, endpoint.EventTypes, endpoint.RateLimitPerSecond);
        if (Url.HasValue)
        {
            endpoint.Url = Url.Value;
        }
        if (Description.HasValue)
        {
            endpoint.Description = Description.Value;
        }
        if (EventTypes.HasValue)
        {
            endpoint.EventTypes = EndpointEntity.JoinEventTypes(EventTypes.Value);
        }
        if (RateLimitPerSecond.HasValue)
        {
            endpoint.RateLimitPerSecond = RateLimitPerSecond.Value;
        }
        return before != (endpoint.Url, endpoint.Description, endpoint.EventTypes, endpoint.RateLimitPerSecond);
    }

    /// <summary>A new, enabled endpoint with these fields; <see cref="Url"/> must be given.</summary>
    public EndpointEntity ToNewEndpoint(string teamId, string endpointId, DateTimeOffset now)
    {
        if (!Url.HasValue)
        {
            throw new InvalidOperationException("A new endpoint needs its URL.");
        }
        var endpoint = new EndpointEntity
        {
            PartitionKey = teamId,
            RowKey = endpointId,
            Status = EndpointStatus.Enabled,
            CreatedAt = now,
            UpdatedAt = now,
        };
        ApplyTo(endpoint);
        return endpoint;
    }

    /// <summary>
    /// Reads the fields from a JSON body, every problem under its JSON path (<c>event_types[2]</c>). Creating, the URL is
    /// required; otherwise every field is optional, and <c>status</c> is refused: enabling is its own route.
    /// </summary>
    public static EndpointChanges Read(RequestValidation validation, JsonElement root, bool creating, bool requireHttps)
    {
        ArgumentNullException.ThrowIfNull(validation);
        var url = Optional<string>.Absent;
        if (creating || root.TryGetProperty("url", out _))
        {
            var text = validation.RequiredString(root, "url", "url", WebhookUrlRules.MaxLength * 2);
            if (text is not null && WebhookUrlRules.Check(text, requireHttps) is { } urlError)
            {
                validation.Add("url", urlError);
            }
            else if (text is not null)
            {
                url = Optional<string>.Of(text);
            }
        }

        var description = Optional<string?>.Absent;
        if (root.TryGetProperty("description", out _))
        {
            description = Optional<string?>.Of(validation.OptionalString(root, "description", "description", EndpointRules.MaxDescriptionLength));
        }

        var eventTypes = Optional<IReadOnlyList<string>?>.Absent;
        if (root.TryGetProperty("event_types", out var typesElement))
        {
            eventTypes = Optional<IReadOnlyList<string>?>.Of(typesElement.ValueKind == JsonValueKind.Null ? null : ReadEventTypes(validation, typesElement));
        }

        var rate = Optional<int?>.Absent;
        if (root.TryGetProperty("rate_limit_per_s", out _))
        {
            rate = Optional<int?>.Of(validation.OptionalInteger(root, "rate_limit_per_s", "rate_limit_per_s",
                EndpointRules.MinRateLimitPerSecond, EndpointRules.MaxRateLimitPerSecond));
        }

        if (!creating && root.TryGetProperty("status", out _))
        {
            validation.Add("status", "cannot be changed with PATCH: POST /v1/endpoints/{id}/enable enables a disabled endpoint.");
        }
        return new EndpointChanges(url, description, eventTypes, rate);
    }

    /// <summary>A non-empty list of distinct event types an endpoint may receive; problems go under <c>event_types[i]</c>.</summary>
    public static IReadOnlyList<string> CheckEventTypes(RequestValidation validation, IReadOnlyList<string> types, string path)
    {
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(types);
        if (types.Count == 0)
        {
            validation.Add(path, "must list at least one event type; send null (or leave it out) for every type.");
            return types;
        }
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < types.Count; i++)
        {
            if (EndpointEventTypes.Check(types[i]) is { } error)
            {
                validation.Add($"{path}[{i}]", error);
            }
            else if (!seen.TryAdd(types[i], i))
            {
                validation.Add($"{path}[{i}]", $"is listed twice: {path}[{seen[types[i]]}] is the same type.");
            }
        }
        return types;
    }

    private static IReadOnlyList<string> ReadEventTypes(RequestValidation validation, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            validation.Add("event_types", "must be an array of event types, or null for every type.");
            return [];
        }
        var types = new List<string>();
        var index = 0;
        var wellTyped = true;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                validation.Add($"event_types[{index}]", "must be a string.");
                wellTyped = false;
            }
            else
            {
                types.Add(item.GetString()!);
            }
            index++;
        }
        return wellTyped ? CheckEventTypes(validation, types, "event_types") : types;
    }
}
