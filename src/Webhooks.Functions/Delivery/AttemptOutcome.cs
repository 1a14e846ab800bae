namespace Webhooks.Functions.Delivery;

/// <summary>The <c>Outcome</c> of an attempt entity (SPEC §5).</summary>
internal static class AttemptOutcome
{
    public const string Delivered = "delivered";
    public const string HttpError = "http_error";
    public const string Redirect = "redirect";
    public const string Timeout = "timeout";
    public const string ConnectionError = "connection_error";
    public const string Blocked = "blocked";
    public const string Gone = "gone";
}
