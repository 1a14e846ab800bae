using System.Buffers.Text;
using System.Text;

namespace Webhooks.Functions.Jobs;

/// <summary>The opaque <c>cursor</c> of item and page listings: base64url of the last row key returned.</summary>
internal static class ListCursor
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static string Encode(string rowKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(rowKey));

    /// <summary>False for anything that is not a cursor we issued for rows with <paramref name="prefix"/>.</summary>
    public static bool TryDecode(string cursor, string prefix, out string rowKey)
    {
        rowKey = "";
        if (cursor.Length > 64 || !Base64Url.IsValid(cursor))
        {
            return false;
        }
        var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        if (!JobRows.TryParse(text, prefix, out _))
        {
            return false;
        }
        rowKey = text;
        return true;
    }

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
