using System.Globalization;
using System.Text.Json;

namespace Webhooks.Functions.Hosting;

/// <summary>
/// Reads the Functions host's invocation body (<c>{"Data": {...}, "Metadata": {...}}</c>) the way
/// docs/functions-host-contract.md describes it: the queue message under its binding name as a JSON string that is
/// itself usually a JSON string literal (encoded twice), metadata numbers sent as strings and metadata strings
/// encoded twice. Anything that does not fit throws <see cref="FormatException"/>.
/// </summary>
internal static class FunctionInvocationPayload
{
    /// <summary>The binding name of both queue triggers in <c>functions/jobs</c> and <c>functions/deliveries</c>.</summary>
    public const string QueueBindingName = "message";

    /// <summary>The binding name of the timer trigger in <c>functions/sweeper</c>.</summary>
    public const string TimerBindingName = "timer";

    /// <summary>More layers than the host ever adds; a bound, so a hostile body cannot make us loop.</summary>
    private const int MaxStringEncodings = 4;

    public static QueueWork ReadQueueWork(JsonElement body)
    {
        var data = Object(body, "Data") ?? throw new FormatException("The invocation has no Data object.");
        if (Find(data, QueueBindingName) is not { } message)
        {
            throw new FormatException($"The invocation's Data has no '{QueueBindingName}'.");
        }
        var text = message.ValueKind switch
        {
            JsonValueKind.String => Unwrap(message.GetString()!),
            // Not what the host sends for a string-bound trigger, but it is the message unambiguously.
            JsonValueKind.Object => message.GetRawText(),
            _ => throw new FormatException($"Data.{QueueBindingName} is a {message.ValueKind}, not a queue message."),
        };

        // Message fields are never read from Metadata: the host merges a JSON message's top-level properties into it.
        var metadata = Object(body, "Metadata");
        var dequeueCount = metadata is { } m && Find(m, "DequeueCount") is { } count ? ReadCount(count) : 1;
        var messageId = metadata is { } n && Find(n, "Id") is { ValueKind: JsonValueKind.String } id ? Unwrap(id.GetString()!) : null;
        return new QueueWork(text, dequeueCount, messageId);
    }

    /// <summary>Whether the host ran the timer late (after a cold start, for instance); null when it did not say.</summary>
    public static bool? ReadTimerPastDue(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("The invocation body is not a JSON object.");
        }
        return Object(body, "Data") is { } data
            && Object(data, TimerBindingName) is { } timer
            && Find(timer, "IsPastDue") is { ValueKind: JsonValueKind.True or JsonValueKind.False } pastDue
            ? pastDue.GetBoolean()
            : null;
    }

    /// <summary>
    /// Decodes JSON string literals until the text is no longer one: <c>"\"{...}\""</c> → <c>"{...}"</c> →
    /// <c>{...}</c>. Our messages are JSON objects, so stopping at the first text that is not a string literal never
    /// strips a layer that belongs to the message.
    /// </summary>
    public static string Unwrap(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < MaxStringEncodings && text.AsSpan().TrimStart().StartsWith("\""); i++)
        {
            try
            {
                text = JsonSerializer.Deserialize<string>(text) ?? text;
            }
            catch (JsonException)
            {
                // Starts with a quote but is not one JSON string: it is the text itself.
                break;
            }
        }
        return text;
    }

    private static long ReadCount(JsonElement value)
    {
        var parsed = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var number) => number,
            JsonValueKind.String when long.TryParse(Unwrap(value.GetString()!), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
            _ => -1,
        };
        return parsed >= 0 ? parsed : throw new FormatException($"Metadata.DequeueCount '{value}' is not a count.");
    }

    private static JsonElement? Object(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("The invocation body is not a JSON object.");
        }
        return Find(parent, name) switch
        {
            null or { ValueKind: JsonValueKind.Null } => null,
            { ValueKind: JsonValueKind.Object } found => found,
            _ => throw new FormatException($"'{name}' is not a JSON object."),
        };
    }

    /// <summary>Exact name first, then any casing: the host's binding data and metadata are case-insensitive dictionaries.</summary>
    private static JsonElement? Find(JsonElement parent, string name)
    {
        if (parent.TryGetProperty(name, out var exact))
        {
            return exact;
        }
        foreach (var property in parent.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }
        return null;
    }
}
