namespace Webhooks.Functions.Crawling;

/// <summary>One <c>Allow</c>/<c>Disallow</c> line of robots.txt: a path pattern with <c>*</c> (any run) and a final <c>$</c> (end).</summary>
internal sealed record RobotsRule(bool Allow, string Pattern)
{
    /// <summary>RFC 9309 §2.2.2: the most specific match wins, measured by the pattern's length.</summary>
    public int Specificity => Pattern.Length;

    public bool Matches(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var anchored = Pattern.EndsWith('$');
        var parts = (anchored ? Pattern[..^1] : Pattern).Split('*');
        if (!path.StartsWith(parts[0], StringComparison.Ordinal))
        {
            return false;
        }
        if (parts.Length == 1)
        {
            return !anchored || path.Length == parts[0].Length;
        }
        var position = parts[0].Length;
        for (var i = 1; i < parts.Length; i++)
        {
            var part = parts[i];
            if (i == parts.Length - 1 && anchored)
            {
                // The last piece must end the path; whatever lies between is taken by the preceding '*'.
                return path.Length - part.Length >= position && path.EndsWith(part, StringComparison.Ordinal);
            }
            var found = path.IndexOf(part, position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }
            position = found + part.Length;
        }
        return true;
    }
}
