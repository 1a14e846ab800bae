using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Webhooks.Functions.Hosting;
using Webhooks.Functions.Hosting.Worker;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Hosting.Worker;

/// <summary>
/// Stands in for the Azure Functions host, which cannot run here: the worker's own services
/// (<see cref="WorkerApp.AddServices"/>: the shared ones plus the HTTP functions' pipeline, and no queue poller or
/// sweeper timer) on a generic host against a real Azurite, so that a test calls the [Function] methods directly with
/// the inputs the host would give them: an ASP.NET Core request, a queue message received from Azurite, a timer tick.
/// Nothing consumes the app's queues but the test.
/// </summary>
public sealed class WorkerTestHost : IAsyncDisposable
{
    /// <summary>Three attempts one second apart: a retry is due soon after a failure, without waiting minutes.</summary>
    public const string FastPolicy = "fast";

    private readonly WebApplication _app;

    private WorkerTestHost(WebApplication app, string prefix, string connectionString)
    {
        _app = app;
        Prefix = prefix;
        ConnectionString = connectionString;
    }

    public IServiceProvider Services => _app.Services;
    public string Prefix { get; }
    public string ConnectionString { get; }

    public static async Task<WorkerTestHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var connectionString = (await AzuriteProcess.Shared).ConnectionString;
        var prefix = "w" + Guid.NewGuid().ToString("N")[..12];
        var all = new Dictionary<string, string?>
        {
            ["environment"] = "Development",
            // The worker's web host listens on a port the Functions host is told about; here nothing calls it.
            ["urls"] = "http://127.0.0.1:0",
            ["AzureWebJobsStorage"] = connectionString,
            ["Storage:Prefix"] = prefix,
            ["Admin:ApiKey"] = TestApp.AdminKey,
            ["Dev:ApiKey"] = TestApp.DevApiKey,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Delivery:Jitter"] = "0",
            ["Delivery:Policies:" + FastPolicy] = "0s,1s,1s",
            ["Delivery:DefaultPolicy"] = FastPolicy,
            ["Delivery:AttemptTimeout"] = "00:00:05",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var builder = WebApplication.CreateBuilder(all.Where(p => p.Value is not null).Select(p => $"--{p.Key}={p.Value}").ToArray());
        WorkerApp.AddServices(builder.Services, builder.Configuration, builder.Environment);
        var app = builder.Build();
        await app.StartAsync();
        await app.Services.GetRequiredService<StorageReadiness>().WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(90));
        return new WorkerTestHost(app, prefix, connectionString);
    }

    /// <summary>An instance of a [Function] class, made the way the worker makes one per invocation.</summary>
    public T Function<T>() where T : class => ActivatorUtilities.CreateInstance<T>(Services);

    /// <summary>
    /// The request the worker's ASP.NET Core integration hands an HTTP function: a fresh context on the invocation's
    /// service scope, with the method, path, headers and body of the request the host received.
    /// </summary>
    public HttpContext Request(HttpMethod method, string pathAndQuery, string? apiKey = TestApp.DevApiKey, string? json = null,
        IDictionary<string, string>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var scope = Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Response.RegisterForDisposeAsync(scope);
        var uri = new Uri("http://worker.local" + pathAndQuery);
        context.Request.Method = method.Method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString(uri.Authority);
        context.Request.Path = uri.AbsolutePath;
        context.Request.QueryString = new QueryString(uri.Query);
        if (apiKey is not null)
        {
            context.Request.Headers.Authorization = "Bearer " + apiKey;
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Request.Headers[name] = value;
        }
        if (json is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            context.Request.ContentType = "application/json";
            context.Request.ContentLength = bytes.Length;
            context.Request.Body = new MemoryStream(bytes);
        }
        context.Response.Body = new MemoryStream();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(context.Response.Body));
        return context;
    }

    /// <summary>What the worker's ASP.NET Core integration does with an HTTP function's result: executes it on the context.</summary>
    public static async Task<FunctionResponse> InvokeAsync(Func<HttpRequest, IResult> function, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(context);
        var result = function(context.Request);
        await result.ExecuteAsync(context);
        await context.Response.CompleteAsync();
        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return new FunctionResponse(context.Response.StatusCode, context.Response.Headers, context.Response.ContentType, body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
