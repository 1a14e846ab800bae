namespace Webhooks.Functions.Delivery;

/// <summary>
/// What an attempt counts as in the delivery stats and metrics (SPEC §14): delivered, or a failure of one class. An
/// outcome without a class of its own joins the nearest one: a redirect (not followed) is <c>3xx</c>, <c>410 Gone</c>
/// is <c>4xx</c>, and an address the SSRF guard blocked is <c>connection</c> (no connection was made).
/// </summary>
internal static class AttemptClass
{
    public const string Delivered = "delivered";
    public const string Redirect = "3xx";
    public const string ClientError = "4xx";
    public const string ServerError = "5xx";
    public const string Timeout = "timeout";
    public const string Connection = "connection";

    /// <summary>The failure classes, in the order <c>failed</c> lists them.</summary>
    public static readonly string[] Failures = [Redirect, ClientError, ServerError, Timeout, Connection];

    /// <summary>The <c>status_class</c> of an attempt that got no HTTP answer.</summary>
    public const string NoStatus = "none";

    public static string Of(AttemptResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Outcome switch
        {
            AttemptOutcome.Delivered => Delivered,
            AttemptOutcome.Redirect => Redirect,
            AttemptOutcome.Gone => ClientError,
            AttemptOutcome.Timeout => Timeout,
            AttemptOutcome.ConnectionError or AttemptOutcome.Blocked => Connection,
            _ => result.StatusCode is >= 400 and < 500 ? ClientError : ServerError,
        };
    }

    /// <summary>The HTTP status class of the answer (<c>2xx</c> … <c>5xx</c>), or <see cref="NoStatus"/>.</summary>
    public static string StatusClassOf(int? statusCode) => statusCode is >= 100 and < 600 ? $"{statusCode / 100}xx" : NoStatus;
}
