using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;
using Webhooks.Functions.Api;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Events;
using Webhooks.Functions.Jobs;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Hosting;

/// <summary>The composition root: every feature's services and routes, for both hosting modes.</summary>
internal static class WebhooksApp
{
    public const string DefaultStandaloneUrl = "http://127.0.0.1:7071";
    public const long MaxRequestBodyBytes = 8 * 1024 * 1024;

    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var mode = string.IsNullOrEmpty(builder.Configuration["FUNCTIONS_CUSTOMHANDLER_PORT"])
            ? HostingMode.Standalone
            : HostingMode.FunctionsCustomHandler;
        builder.Services.AddSingleton(new HostingContext(mode));

        if (mode == HostingMode.FunctionsCustomHandler)
        {
            // The Functions host talks to us over loopback on the port it chose; nothing else may reach us.
            builder.WebHost.UseUrls($"http://127.0.0.1:{builder.Configuration["FUNCTIONS_CUSTOMHANDLER_PORT"]}");
        }
        else if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultStandaloneUrl);
        }
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        AddServices(builder.Services, builder.Configuration, builder.Environment);
        return builder;
    }

    public static void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddHostedService<StartupTasks>();
        services.AddSingleton<BackgroundWork>();
        services.AddHostedService(sp => sp.GetRequiredService<BackgroundWork>());
        services.AddSingleton<Sweeper>();
        services.AddOptions<SweeperOptions>().Bind(configuration.GetSection("Sweeper"));
        services.AddSingleton<QueueWakeups>();
        services.AddSingleton<IHostedService>(sp =>
            sp.GetRequiredService<HostingContext>().RunsOwnPollers && sp.GetRequiredService<IOptions<SweeperOptions>>().Value.Enabled
                ? ActivatorUtilities.CreateInstance<SweeperTimer>(sp)
                : new NoHostedWork());
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddOpenApi();

        services.AddOptions<StorageOptions>().Bind(configuration.GetSection("Storage")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StorageAccount>();
        services.AddSingleton<StorageInitializer>();

        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection("RateLimit")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TeamRateLimiter>();

        services.AddTeams(configuration, environment);
        services.AddDelivery(configuration);
        services.AddEventLog(configuration);
        services.AddJobs(configuration);

        AddTelemetry(services, configuration);
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("Webhooks.Functions API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapHealthApi();
        app.MapAdminApi();
        app.MapFunctionInvocations();

        var v1 = app.MapGroup("/v1").AddEndpointFilter<ApiKeyAuthenticationFilter>();
        v1.MapTeamApi();
        v1.MapJobsApi();
        v1.MapEventsApi();
        v1.MapDeliveriesApi();
        v1.MapWebhookTestApi();
        return app;
    }

    private static void AddTelemetry(IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        var telemetry = services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource(Telemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation())
            .WithMetrics(m => m.AddMeter(Telemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation());
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            telemetry.WithTracing(t => t.AddAzureMonitorTraceExporter(o => o.ConnectionString = connectionString))
                .WithMetrics(m => m.AddAzureMonitorMetricExporter(o => o.ConnectionString = connectionString));
        }
    }
}
