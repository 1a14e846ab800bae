using Webhooks.Functions.Api;

namespace Webhooks.Functions.Jobs;

/// <summary>The <c>cursor</c> and <c>limit</c> of item and page listings; the cursor is the API's one <see cref="Cursor"/> format.</summary>
internal static class ListCursor
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static string Encode(string rowKey) => Cursor.Encode(rowKey);

    /// <summary>False for anything that is not a cursor we issued for rows with <paramref name="prefix"/>.</summary>
    public static bool TryDecode(string cursor, string prefix, out string rowKey) =>
        Cursor.TryDecode(cursor, prefix, out rowKey) && JobRows.TryParse(rowKey, prefix, out _);

    /// <summary>Reads <c>limit</c> and <c>cursor</c>; adds errors to <paramref name="errors"/> under their names.</summary>
    public static (int Limit, string? After) Read(HttpRequest request, string prefix, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        var limit = DefaultLimit;
        if (request.Query.TryGetValue("limit", out var limitText) && !string.IsNullOrEmpty(limitText))
        {
            if (!int.TryParse(limitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit)
                || limit < 1 || limit > MaxLimit)
            {
                errors["limit"] = [$"must be an integer between 1 and {MaxLimit}."];
            }
        }
        string? after = null;
        if (request.Query.TryGetValue("cursor", out var cursorText) && !string.IsNullOrEmpty(cursorText))
        {
            if (TryDecode(cursorText.ToString(), prefix, out var rowKey))
            {
                after = rowKey;
            }
            else
            {
                errors["cursor"] = ["is not a cursor returned by this listing."];
            }
        }
        return (limit, after);
    }
}
