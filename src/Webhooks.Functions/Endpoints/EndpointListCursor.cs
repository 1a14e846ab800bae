using System.Globalization;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// The position of <c>GET /v1/endpoints</c>'s cursor: the creation time and id of the last endpoint of a page, the
/// list's own order, so that a page starts in the right place even when that endpoint was deleted meanwhile.
/// </summary>
internal static class EndpointListCursor
{
    public const string Kind = "endpoint";

    public static string Position(EndpointEntity endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return string.Create(CultureInfo.InvariantCulture, $"{Kind}_{endpoint.CreatedAt.UtcTicks:D19}_{endpoint.EndpointId}");
    }

    /// <summary>Reads a position made by <see cref="Position"/>; false for anything else.</summary>
    public static bool TryParse(string position, out long createdTicks, out string endpointId)
    {
        ArgumentNullException.ThrowIfNull(position);
        createdTicks = 0;
        endpointId = "";
        var parts = position.Split('_', 3);
        if (parts.Length != 3 || parts[0] != Kind
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out createdTicks)
            || !Ids.IsValid(parts[2], Ids.EndpointPrefix))
        {
            return false;
        }
        endpointId = parts[2];
        return true;
    }

    /// <summary>Whether <paramref name="endpoint"/> comes after the position in the list's order (oldest first, then by id).</summary>
    public static bool IsAfter(EndpointEntity endpoint, long createdTicks, string endpointId)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var ticks = endpoint.CreatedAt.UtcTicks;
        return ticks > createdTicks || (ticks == createdTicks && string.CompareOrdinal(endpoint.EndpointId, endpointId) > 0);
    }
}
