using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;
using Webhooks.Functions.Api;
using Webhooks.Functions.Api.Documentation;
using Webhooks.Functions.Crawling;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Endpoints;
using Webhooks.Functions.Events;
using Webhooks.Functions.Hosting.Durable;
using Webhooks.Functions.Jobs;
using Webhooks.Functions.Outbound;
using Webhooks.Functions.Portal;
using Webhooks.Functions.Retention;
using Webhooks.Functions.Storage;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Hosting;

/// <summary>
/// What both hosts share: every feature's services (<see cref="AddServices"/>) and the HTTP pipeline with every route
/// (<see cref="ConfigurePipeline"/>). <see cref="CreateBuilder"/> and <see cref="Build"/> make the standalone app of
/// it; Worker/WorkerApp makes the Functions worker.
/// </summary>
internal static class WebhooksApp
{
    public const string DefaultStandaloneUrl = "http://127.0.0.1:7071";
    public const long MaxRequestBodyBytes = 8 * 1024 * 1024;

    /// <summary>The standalone app: Kestrel on 127.0.0.1:7071 unless told otherwise, own queue pollers and sweeper timer.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultStandaloneUrl);
        }
        AddServices(builder.Services, builder.Configuration, builder.Environment);
        AddDurableEngine(builder);
        builder.Services.AddHostedService<QueuePollers>();
        builder.Services.AddHostedService<EndpointHealthFlusher>();
        builder.Services.AddMetricsScraping();
        // Sweeper:Enabled=false keeps the sweeper's scans out of a test that counts storage operations.
        if (builder.Configuration.GetSection("Sweeper").Get<SweeperOptions>()?.Enabled ?? true)
        {
            builder.Services.AddHostedService<SweeperTimer>();
        }
        return builder;
    }

    /// <summary>The standalone app's request pipeline: the shared one, on the web application itself.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        ConfigurePipeline(app, standalone: true);
        return app;
    }

    /// <summary>Every service of every feature, the same for both hosts; nothing here knows which host runs it.</summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        UnresolvedKeyVaultReferences.ThrowIfAny(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<StorageReadiness>();
        services.AddHostedService<StorageStartup>();
        services.AddSingleton<Sweeper>();
        services.AddOptions<SweeperOptions>().Bind(configuration.GetSection("Sweeper"));
        services.AddSingleton<QueueWakeups>();
        services.Configure<KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddApiDocumentation(o => o.AddDocumentTransformer<WebhookEventsDocumentation>());

        services.AddOptions<StorageOptions>().Bind(configuration.GetSection("Storage")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StorageAccount>();
        services.AddSingleton<StorageInitializer>();

        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection("RateLimit")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TeamRateLimiter>();

        services.AddTeams(configuration, environment);
        services.AddOutbound();
        services.AddDelivery(configuration);
        services.AddEventLog(configuration);
        services.AddEndpoints(configuration);
        services.AddJobs(configuration);
        services.AddCrawling();
        services.AddRetention(configuration);
        services.AddPortal(environment);

        AddTelemetry(services, configuration);
    }

    /// <summary>
    /// The HTTP pipeline of both hosts: problem details for exceptions and bare status codes, routing, and every route.
    /// The standalone app runs it as its own pipeline; the worker's HTTP functions hand their request to it
    /// (Worker/ApiPipeline), so a route behaves the same, filters and all, whoever received the request.
    /// </summary>
    /// <param name="standalone">The standalone host also serves <c>GET /metrics</c> (<see cref="MetricsScraping"/>).</param>
    public static void ConfigurePipeline(IApplicationBuilder app, bool standalone = false)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UsePortalSecurityHeaders();
        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            MapRoutes(endpoints);
            if (standalone)
            {
                endpoints.MapMetricsScraping();
            }
        });
    }

    private static void MapRoutes(IEndpointRouteBuilder app)
    {
        app.MapOpenApi(ApiDocumentation.RoutePattern);
        // The reference's request samples start in C# with HttpClient, the language of the client the README generates.
        app.MapScalarApiReference("/docs", o => o.WithTitle("Webhooks.Functions API").WithOpenApiRoutePattern(ApiDocumentation.RoutePattern)
            .WithDefaultHttpClient(ScalarTarget.CSharp, ScalarClient.HttpClient));

        // Storage first: nothing behind this filter (authentication included) can answer before storage is set up.
        var storage = app.MapGroup("").AddEndpointFilter<StorageReadyFilter>().MayAnswerServiceUnavailable();
        storage.MapHealthApi();
        storage.MapAdminApi();

        var v1 = storage.MapGroup("/v1").AddEndpointFilter<ApiKeyAuthenticationFilter>()
            .RequiresAuthentication(ApiSecurity.TeamApiKey).MayAnswerTooManyRequests();
        v1.MapTeamApi();
        v1.MapJobsApi();
        v1.MapCrawlsApi();
        v1.MapEventsApi();
        v1.MapEventTypesApi();
        v1.MapDeliveriesApi();
        v1.MapEndpointsApi();
        v1.MapStatsApi();
        v1.MapWebhookTestApi();

        // The portal signs in with its own cookie and checks the key on every page (Portal/PortalPageModel); storage
        // that is not ready yet fails the key check, which sends the user to sign in rather than answering 503.
        app.MapPortal();
    }

    /// <summary>
    /// The standalone app's Durable Task engine; in the worker, the Functions host's Durable extension runs the same
    /// orchestration and activity (Worker/DeliveryFunctions).
    /// </summary>
    private static void AddDurableEngine(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DurableOptions>().Bind(builder.Configuration.GetSection("Durable")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StandaloneDurableEngine>();
        services.AddSingleton<IDeliveryOrchestrations>(sp => sp.GetRequiredService<StandaloneDurableEngine>());
        services.AddHostedService(sp => sp.GetRequiredService<StandaloneDurableEngine>());
    }

    private static void AddTelemetry(IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        var telemetry = services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource(Telemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation())
            .WithMetrics(m => m.AddMeter(Telemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation());
        // The standard OTEL_EXPORTER_OTLP_* settings (environment or any configuration source) say where and how.
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.WithTracing(t => t.AddOtlpExporter()).WithMetrics(m => m.AddOtlpExporter());
        }
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return;
        }
        // With Entra ID authentication the exporter signs in as the app's managed identity (Monitoring Metrics Publisher
        // on the component), so ingestion keeps working when the component accepts no key-only telemetry.
        var authentication = AzureMonitorAuthentication.Parse(configuration[AzureMonitorAuthentication.SettingName]);
        TokenCredential? credential = !authentication.UsesEntraId ? null
            : authentication.ClientId is { } clientId ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
        telemetry.WithTracing(t => t.AddAzureMonitorTraceExporter(o => Configure(o)))
            .WithMetrics(m => m.AddAzureMonitorMetricExporter(o => Configure(o)));

        void Configure(AzureMonitorExporterOptions options)
        {
            options.ConnectionString = connectionString;
            if (credential is not null)
            {
                options.Credential = credential;
            }
        }
    }
}
