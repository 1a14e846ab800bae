using Microsoft.DurableTask.Client;
namespace Webhooks.Functions.Hosting.Worker;

/// <summary>
/// The standalone app's HTTP pipeline (<see cref="WebhooksApp.ConfigurePipeline"/>: problem details, routing, every
/// route with its filters) built once more for the worker, so that an HTTP function answers exactly as the standalone
/// app answers the same request: authentication, rate limits, idempotency, validation, status codes and problem
/// documents all come from the one route table. The host has already matched the request to the function by the same
/// route template; the pipeline matches it again to its endpoint.
/// </summary>
internal sealed class ApiPipeline(IServiceProvider services)
{
    private readonly Lazy<RequestDelegate> _pipeline = new(() =>
    {
        var app = new ApplicationBuilder(services);
        WebhooksApp.ConfigurePipeline(app);
        return app.Build();
    });

    /// <summary>The answer to <paramref name="request"/>, as a result the worker's ASP.NET Core integration executes.</summary>
    public IResult Handle(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new Dispatch(_pipeline.Value, durable: null);
    }

    /// <summary>The same, for a route that starts delivery orchestrations with the function's Durable client.</summary>
    public IResult Handle(HttpRequest request, DurableTaskClient durable)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(durable);
        return new Dispatch(_pipeline.Value, durable);
    }

    private sealed class Dispatch(RequestDelegate pipeline, DurableTaskClient? durable) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            // The worker's own routing chose the function's endpoint; routing runs again against the app's route table,
            // which only happens for a request that has no endpoint yet.
            httpContext.SetEndpoint(null);
            httpContext.Request.RouteValues.Clear();
            using var binding = durable is null ? null : FunctionsDeliveryOrchestrations.Bind(durable);
            await pipeline(httpContext);
        }
    }
}
