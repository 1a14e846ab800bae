using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// Writes JSON exactly as JavaScript's <c>JSON.stringify</c> would re-write it: compact, UTF-8, non-ASCII and
/// <c>&lt;&gt;&amp;'</c> as themselves, only <c>"</c>, <c>\</c> and control characters escaped (short forms where JSON
/// has them, else lowercase <c>\u00xx</c>), lone surrogates as <c>\udxxx</c>. A receiver that verifies the signature
/// over <c>JSON.stringify(JSON.parse(body))</c> (the crawl document's snippet) then gets back the signed bytes.
/// </summary>
internal static class CanonicalJson
{
    public static void WriteValue(IBufferWriter<byte> output, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                Write(output, "{");
                var first = true;
                foreach (var property in value.EnumerateObject())
                {
                    if (!first)
                    {
                        Write(output, ",");
                    }
                    first = false;
                    WriteString(output, property.Name);
                    Write(output, ":");
                    WriteValue(output, property.Value);
                }
                Write(output, "}");
                break;
            case JsonValueKind.Array:
                Write(output, "[");
                var firstItem = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!firstItem)
                    {
                        Write(output, ",");
                    }
                    firstItem = false;
                    WriteValue(output, item);
                }
                Write(output, "]");
                break;
            case JsonValueKind.String:
                WriteString(output, value.GetString()!);
                break;
            case JsonValueKind.Number:
                // The product writes only integers; JavaScript prints those the same way.
                Write(output, value.TryGetInt64(out var integer)
                    ? integer.ToString(CultureInfo.InvariantCulture)
                    : throw new InvalidOperationException("Event data must not contain floating-point numbers."));
                break;
            case JsonValueKind.True:
                Write(output, "true");
                break;
            case JsonValueKind.False:
                Write(output, "false");
                break;
            default:
                Write(output, "null");
                break;
        }
    }

    public static void WriteString(IBufferWriter<byte> output, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 2);
        builder.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        builder.Append(c).Append(text[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        builder.Append('"');
        Write(output, builder.ToString());
    }

    public static void Write(IBufferWriter<byte> output, string raw)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(raw.Length));
        output.Advance(Encoding.UTF8.GetBytes(raw, span));
    }
}
