using System.Globalization;
using Webhooks.Functions.Api;

namespace Webhooks.Functions.Events;

/// <summary>
/// Reads the query parameters of the list routes, collecting each bad one under its own name so that a client
/// learns about all of them at once (<c>limit</c>, <c>cursor</c>, <c>type</c>, ...).
/// </summary>
internal static class ListQuery
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    private const int MaxTextLength = 256;

    /// <summary>The parameter's value, or null when absent or empty; given more than once is an error.</summary>
    public static string? Text(HttpRequest request, string name, RequestValidation validation)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(validation);
        var values = request.Query[name];
        if (values.Count > 1)
        {
            validation.Add(name, "must be given at most once.");
            return null;
        }
        var value = values.Count == 1 ? values[0] : null;
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (value.Length > MaxTextLength)
        {
            validation.Add(name, $"must be at most {MaxTextLength} characters.");
            return null;
        }
        return value;
    }

    public static int Limit(HttpRequest request, RequestValidation validation)
    {
        var text = Text(request, "limit", validation);
        if (text is null)
        {
            return DefaultLimit;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit is < 1 or > MaxLimit)
        {
            validation.Add("limit", $"must be an integer between 1 and {MaxLimit}.");
            return DefaultLimit;
        }
        return limit;
    }

    /// <summary>The position a <c>cursor</c> from a previous page of this list points at.</summary>
    public static string? CursorPosition(HttpRequest request, string indexKind, RequestValidation validation)
    {
        var text = Text(request, "cursor", validation);
        if (text is null)
        {
            return null;
        }
        if (!Cursor.TryDecode(text, indexKind + "_", out var position))
        {
            validation.Add("cursor", "is not a cursor returned as next_cursor by this list.");
            return null;
        }
        return position;
    }

    public static string? OneOf(HttpRequest request, string name, IReadOnlyCollection<string> allowed, RequestValidation validation)
    {
        var text = Text(request, name, validation);
        if (text is not null && !allowed.Contains(text, StringComparer.Ordinal))
        {
            validation.Add(name, $"must be one of: {string.Join(", ", allowed)}.");
            return null;
        }
        return text;
    }

    public static DateTimeOffset? Time(HttpRequest request, string name, RequestValidation validation)
    {
        var text = Text(request, name, validation);
        if (text is null)
        {
            return null;
        }
        if (!ApiTime.TryParse(text, out var time))
        {
            validation.Add(name, "must be an ISO 8601 time such as 2025-01-15T10:00:00Z.");
            return null;
        }
        return time;
    }
}
