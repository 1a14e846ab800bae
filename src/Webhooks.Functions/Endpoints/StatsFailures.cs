using System.Text.Json.Serialization;

namespace Webhooks.Functions.Endpoints;

/// <summary>The <c>failed</c> of a stats entry: failed attempts by class (SPEC §14).</summary>
internal sealed record StatsFailures(
    [property: JsonPropertyName("3xx")] long Redirect,
    [property: JsonPropertyName("4xx")] long ClientError,
    [property: JsonPropertyName("5xx")] long ServerError,
    long Timeout,
    long Connection);
