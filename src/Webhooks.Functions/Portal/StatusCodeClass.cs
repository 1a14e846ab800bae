namespace Webhooks.Functions.Portal;

/// <summary>The deliveries filter on a delivery's last status code: its class (2xx … 5xx), or no HTTP answer at all.</summary>
internal static class StatusCodeClass
{
    public const string NoAnswer = "none";

    public static readonly IReadOnlyList<(string Value, string Label)> Choices =
    [
        ("2xx", "2xx success"),
        ("3xx", "3xx redirect"),
        ("4xx", "4xx client error"),
        ("5xx", "5xx server error"),
        (NoAnswer, "No HTTP answer (timeout, connection error, blocked)"),
    ];

    public static bool Matches(string codeClass, int? statusCode) => codeClass == NoAnswer
        ? statusCode is null
        : statusCode is { } code && code / 100 == codeClass[0] - '0';
}
