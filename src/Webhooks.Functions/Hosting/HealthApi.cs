using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Hosting;

internal static class HealthApi
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", CheckAsync).WithTags("Health").ExcludeFromDescription();
        return app;
    }

    /// <summary>200 when Storage answers a read within a few seconds, 503 otherwise.</summary>
    private static async Task<IResult> CheckAsync(StorageAccount storage, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await storage.Teams.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("healthz", "healthz", cancellationToken: timeout.Token);
            return TypedResults.Ok(new { status = "healthy" });
        }
        catch (Exception e) when (StorageUnavailable.Is(e, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable",
                detail: "Storage is unreachable.");
        }
    }
}
