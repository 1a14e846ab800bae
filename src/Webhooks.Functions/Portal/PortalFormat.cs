using System.Globalization;

namespace Webhooks.Functions.Portal;

/// <summary>How the portal's pages write times, durations and statuses.</summary>
internal static class PortalFormat
{
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    /// <summary>The value a <c>datetime-local</c> input shows for a UTC time.</summary>
    public static string InputTime(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) : "";

    public static string Duration(long milliseconds) => milliseconds.ToString("N0", CultureInfo.InvariantCulture) + " ms";

    public static string StatusCode(int? code) => code?.ToString(CultureInfo.InvariantCulture) ?? "—";

    /// <summary>An endpoint's event types; null is every type.</summary>
    public static string EventTypes(IReadOnlyList<string>? types) => types is null ? "every type" : string.Join(", ", types);

    public static string RateLimit(int? perSecond) =>
        perSecond is { } n ? n.ToString("N0", CultureInfo.InvariantCulture) + " per second" : "no limit";

    /// <summary>A health window in words: hours up to two days, whole days beyond, else minutes.</summary>
    public static string Window(TimeSpan window) =>
        window >= TimeSpan.FromDays(2) && window.Ticks % TimeSpan.TicksPerDay == 0 ? Plural((long)window.TotalDays, "day")
        : window >= TimeSpan.FromHours(1) && window.Ticks % TimeSpan.TicksPerHour == 0 ? Plural((long)window.TotalHours, "hour")
        : Plural((long)Math.Ceiling(window.TotalMinutes), "minute");

    /// <summary>A ratio from 0 to 1 as a percentage, to a tenth where it has one.</summary>
    public static string Percentage(double ratio) => (ratio * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Plural(long count, string unit) =>
        count == 1 ? $"1 {unit}" : count.ToString(CultureInfo.InvariantCulture) + " " + unit + "s";

    /// <summary>
    /// The style of a status or outcome badge. The badge always shows the word itself; the colour only repeats it.
    /// </summary>
    public static string BadgeClass(string status) => status switch
    {
        "delivered" or "enabled" => "badge ok",
        "pending" => "badge wait",
        _ => "badge bad",
    };
}
