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

    /// <summary>
    /// The style of a status or outcome badge. The badge always shows the word itself; the colour only repeats it.
    /// </summary>
    public static string BadgeClass(string status) => status switch
    {
        "delivered" => "badge ok",
        "pending" => "badge wait",
        _ => "badge bad",
    };
}
