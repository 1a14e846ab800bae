namespace Webhooks.Functions.Api;

/// <summary>A create call's answer written exactly as recorded, so that a replay is byte for byte the first answer.</summary>
internal sealed class IdempotencyRecordedResult(int status, string json, string? location) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = status;
        if (location is not null)
        {
            httpContext.Response.Headers.Location = location;
        }
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        return httpContext.Response.WriteAsync(json, httpContext.RequestAborted);
    }
}
