using Microsoft.AspNetCore.Diagnostics;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Api;

/// <summary>
/// Turns exceptions into problem documents: a client's oversized or broken request keeps its 4xx, storage being
/// unreachable is a 503 the client may retry, and only a real bug is a 500.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == 413 ? "Payload Too Large" : "Bad Request", bad.Message),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested =>
                (499, "Client Closed Request", "The client went away."),
            _ when StorageUnavailable.Is(exception, httpContext.RequestAborted) =>
                (503, "Service Unavailable", "Storage is unreachable or too slow to answer; retry shortly."),
            _ => (500, "Internal Server Error", "An unexpected error occurred."),
        };
        if (status == 503)
        {
            // An outage fails every request the same way: one line each, not a stack trace each.
            LogStorageUnreachable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().Message);
            httpContext.Response.Headers.RetryAfter = "5";
        }
        else if (status >= 500)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Method} {Path} answered 503, storage is unreachable or too slow: {Reason}")]
    private static partial void LogStorageUnreachable(ILogger logger, string method, string path, string reason);
}
