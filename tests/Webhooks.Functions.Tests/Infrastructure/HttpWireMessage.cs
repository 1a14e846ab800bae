using System.Text;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>One HTTP/1.1 message as it crossed the wire: its start line, its header lines, and its body bytes as sent (chunk framing included).</summary>
internal sealed record HttpWireMessage(string StartLine, IReadOnlyList<string> HeaderLines, byte[] Body, bool CloseDelimited)
{
    public string? Header(string name) => HeaderLines
        .Select(line => line.Split(':', 2))
        .Where(parts => parts.Length == 2 && parts[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
        .Select(parts => parts[1].Trim())
        .FirstOrDefault();

    /// <summary>The request's method (first word of its start line).</summary>
    public string Method => StartLine.Split(' ')[0];

    /// <summary>The request's target (path and query).</summary>
    public string Target => StartLine.Split(' ') is { Length: > 1 } parts ? parts[1] : "";

    /// <summary>The response's status code.</summary>
    public int Status => StartLine.Split(' ') is { Length: > 1 } parts && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var status) ? status : 0;

    public bool WantsClose => Header("Connection")?.Contains("close", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The bytes to send, without the header lines <paramref name="dropHeaders"/> names.</summary>
    public byte[] ToBytes(params string[] dropHeaders)
    {
        var head = new StringBuilder(StartLine).Append("\r\n");
        foreach (var line in HeaderLines)
        {
            var name = line.Split(':', 2)[0].Trim();
            if (!dropHeaders.Any(d => d.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                head.Append(line).Append("\r\n");
            }
        }
        head.Append("\r\n");
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. Body];
    }
}
