using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Hosting;

/// <summary>
/// <c>GET /metrics</c> of the standalone host (SPEC §14): the app's OpenTelemetry metrics as Prometheus text, behind
/// the admin key like the admin routes (404 when no admin key is configured). The Functions worker has no such route:
/// in Azure the metrics go to Application Insights (and to OTLP when configured).
/// </summary>
internal static class MetricsScraping
{
    public const string Path = "/metrics";

    public static void AddMetricsScraping(this IServiceCollection services) =>
        services.ConfigureOpenTelemetryMeterProvider(m => m.AddPrometheusExporter());

    public static void MapMetricsScraping(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            if (!HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return;
            }
            var admin = context.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value;
            if (AdminAuthenticationFilter.Refusal(context, admin) is { } refusal)
            {
                await refusal.ExecuteAsync(context);
                return;
            }
            await next(context);
        }), optionsName: null);
}
