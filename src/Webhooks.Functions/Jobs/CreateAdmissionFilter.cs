namespace Webhooks.Functions.Jobs;

/// <summary>Admits a create call when a <see cref="CreateAdmission"/> slot is free, else answers 429 with <c>Retry-After</c>.</summary>
internal sealed class CreateAdmissionFilter(CreateAdmission admission) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var slot = await admission.TryEnterAsync(context.HttpContext.RequestAborted);
        if (slot is null)
        {
            context.HttpContext.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests",
                detail: "The service is taking in as many jobs as it can right now; retry after the time in Retry-After.");
        }
        return await next(context);
    }
}
