using System.Buffers.Text;
using System.Text;

namespace Webhooks.Functions.Api;

/// <summary>
/// The opaque <c>cursor</c> of list routes: the position after which the next page starts, base64url-encoded so that
/// clients treat it as a token rather than building one. A version tag lets the format change without silently
/// misreading old cursors.
/// </summary>
internal static class Cursor
{
    private const string Version = "c1:";
    private const int MaxPositionLength = 512;

    public static string Encode(string position)
    {
        ArgumentNullException.ThrowIfNull(position);
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Version + position));
    }

    /// <summary>
    /// Reads a cursor made by <see cref="Encode"/> for a list whose positions start with <paramref name="requiredPrefix"/>;
    /// a cursor of another list, a truncated one or random text is refused rather than starting at a wrong place.
    /// </summary>
    public static bool TryDecode(string text, string requiredPrefix, out string position)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(requiredPrefix);
        position = "";
        if (text.Length == 0 || text.Length > MaxPositionLength * 2 || !Base64Url.IsValid(text))
        {
            return false;
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
        }
        catch (FormatException)
        {
            return false;
        }
        if (!decoded.StartsWith(Version, StringComparison.Ordinal))
        {
            return false;
        }
        var candidate = decoded[Version.Length..];
        if (!candidate.StartsWith(requiredPrefix, StringComparison.Ordinal) || candidate.Length > MaxPositionLength)
        {
            return false;
        }
        position = candidate;
        return true;
    }
}
