using Azure;
using Microsoft.AspNetCore.Diagnostics;

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
            RequestFailedException storage when storage.Status is 0 or >= 500 =>
                (503, "Service Unavailable", "Storage is unreachable; retry shortly."),
            AggregateException { InnerExceptions: [RequestFailedException { Status: 0 or >= 500 }, ..] } =>
                (503, "Service Unavailable", "Storage is unreachable; retry shortly."),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested =>
                (499, "Client Closed Request", "The client went away."),
            _ => (500, "Internal Server Error", "An unexpected error occurred."),
        };
        if (status >= 500)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }
        if (status == 503)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Method} {Path} failed")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
