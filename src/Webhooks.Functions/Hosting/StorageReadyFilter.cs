using System.Globalization;

namespace Webhooks.Functions.Hosting;

/// <summary>
/// Answers <c>503</c> with <c>Retry-After</c> while <see cref="StorageReadiness"/> is not ready, before any filter or
/// handler touches storage; the problem document says what the start-up is waiting for.
/// </summary>
internal sealed class StorageReadyFilter(StorageReadiness readiness) : IEndpointFilter
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (readiness.IsReady)
        {
            return next(context);
        }
        context.HttpContext.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return ValueTask.FromResult<object?>(TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Service Unavailable", detail: $"The service is starting: {readiness.WaitingFor}. Retry after the time in Retry-After."));
    }
}
