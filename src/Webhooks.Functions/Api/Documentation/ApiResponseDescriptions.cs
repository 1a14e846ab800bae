namespace Webhooks.Functions.Api.Documentation;

/// <summary>What each status code means in this API, for the OpenAPI document: the reader learns when to expect it.</summary>
internal static class ApiResponseDescriptions
{
    public static string For(int statusCode) => statusCode switch
    {
        200 => "OK.",
        201 => "Created: the body is the new resource, `Location` its path.",
        202 => "Accepted: the work was started; the body says what was started.",
        204 => "No content.",
        400 => "The request is invalid: `errors` maps the JSON path of each rejected field (`items[3].url`) or parameter (`limit`) to its messages.",
        401 => "The API key is missing or not valid.",
        404 => "The resource does not exist or belongs to another team.",
        409 => "A request with this `Idempotency-Key` is still being processed; retry shortly.",
        413 => "The body is larger than 8 MiB.",
        415 => "The body is not `application/json`.",
        422 => "This `Idempotency-Key` was already used with a different request.",
        429 => "Too many requests: retry after the seconds in `Retry-After`.",
        503 => "Storage is not reachable yet: retry after the seconds in `Retry-After`.",
        _ => Title(statusCode),
    };

    public static string Title(int statusCode) => statusCode switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Status " + statusCode,
    };

    public static string ExampleDetail(int statusCode) => statusCode switch
    {
        400 => ApiProblems.ValidationDetail,
        401 => "The API key is not valid.",
        404 => "Batch batch_a1b2c3d4e5f6g7h8 was not found.",
        409 => "A request with this Idempotency-Key is still being processed; retry shortly.",
        413 => "Request body too large. The max request body size is 8388608 bytes.",
        415 => "Send the body as application/json.",
        422 => "This Idempotency-Key was already used with a different request; use a new key for a new request.",
        429 => "The team's request rate limit was exceeded; retry after the time in Retry-After.",
        503 => "The service is starting: storage. Retry after the time in Retry-After.",
        _ => Title(statusCode),
    };
}
