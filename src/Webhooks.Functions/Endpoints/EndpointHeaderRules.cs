using System.Text;
using System.Text.Json;
using Webhooks.Functions.Api;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// What an endpoint's custom headers may be (SPEC §13): at most <see cref="MaxHeaders"/> HTTP-token names with
/// printable values, <see cref="MaxTotalBytes"/> in all, and none of the names the sender sets itself. Problems go
/// under <c>headers.&lt;Name&gt;</c>.
/// </summary>
internal static class EndpointHeaderRules
{
    public const int MaxHeaders = 20;
    public const int MaxTotalBytes = 4 * 1024;

    /// <summary>Set by the sender on every attempt (or by HTTP itself): never a custom header, whatever the case.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "Content-Length", "Host", "User-Agent", "traceparent", "tracestate",
        // Hop-by-hop and framing headers belong to the connection, not to the customer.
        "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Expect", "Proxy-Connection",
    };

    private static readonly string[] ReservedPrefixes = ["webhook-", "X-Webhook-"];

    /// <summary>Why <paramref name="name"/> cannot be a custom header, or null when it can.</summary>
    public static string? CheckName(string name, bool oauth2)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || !name.All(IsTokenChar))
        {
            return "is not a header name: use letters, digits and !#$%&'*+-.^_`|~ only.";
        }
        if (Reserved.Contains(name) || ReservedPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        {
            return "is set by the sender itself and cannot be a custom header.";
        }
        if (oauth2 && name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
        {
            return "is set by the sender itself while oauth2 is set (Authorization: Bearer <token>).";
        }
        return null;
    }

    /// <summary>Why <paramref name="value"/> cannot be a header value, or null when it can.</summary>
    public static string? CheckValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.All(c => c == '\t' || (c >= ' ' && c <= '~'))
            ? null
            : "must be printable ASCII (no line breaks or control characters).";
    }

    /// <summary>
    /// Reads <c>headers</c>: an object of name → value, or null for none; every problem under its JSON path. An empty
    /// object is none too.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Read(RequestValidation validation, JsonElement element)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (element.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            validation.Add("headers", "must be an object of header names to values, or null for none.");
            return [];
        }
        var headers = new List<KeyValuePair<string, string>>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var bytes = 0;
        foreach (var property in element.EnumerateObject())
        {
            var path = $"headers.{property.Name}";
            if (!seen.Add(property.Name))
            {
                validation.Add(path, "is given twice (header names are case-insensitive).");
                continue;
            }
            // Authorization is checked against oauth2 once both are known (EndpointAuthChanges).
            if (CheckName(property.Name, oauth2: false) is { } nameError)
            {
                validation.Add(path, nameError);
                continue;
            }
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                validation.Add(path, "must be a string.");
                continue;
            }
            var value = property.Value.GetString()!;
            if (CheckValue(value) is { } valueError)
            {
                validation.Add(path, valueError);
                continue;
            }
            bytes += Encoding.UTF8.GetByteCount(property.Name) + Encoding.UTF8.GetByteCount(value);
            headers.Add(new(property.Name, value));
        }
        if (seen.Count > MaxHeaders)
        {
            validation.Add("headers", $"must have at most {MaxHeaders} headers.");
        }
        if (bytes > MaxTotalBytes)
        {
            validation.Add("headers", $"must be at most {MaxTotalBytes} bytes in all (names and values).");
        }
        return headers;
    }

    /// <summary>RFC 9110 <c>tchar</c>.</summary>
    private static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
