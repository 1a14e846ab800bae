using System.Globalization;

namespace Webhooks.Functions.Api;

internal static class ApiTime
{
    public static bool TryParse(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    public static string Format(DateTimeOffset time) => UtcDateTimeOffsetConverter.ToText(time);

    public static string? Format(DateTimeOffset? time) => time is { } t ? Format(t) : null;
}
