using System.Text.Json;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Hosting;
using Webhooks.Functions.Hosting.Worker;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Tests.Hosting.Worker;

/// <summary>
/// What the Functions host is told about the app, against what the standalone app serves. The host learns the
/// functions from the worker (worker indexing: the metadata the SDK's source generator compiled in) and the build
/// also writes them to <c>functions.metadata</c>; both must list exactly the standalone app's routes and methods,
/// plus the queue and timer functions. A route added to one host and not the other fails here.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly string[] NonHttpFunctions = [StorageNames.JobsQueue, SweeperFunction.Name, DeliverWebhookOrchestrator.Name, DeliveryAttemptActivity.Name, DeliveryExhaustedActivity.Name];

    [Fact]
    public void FunctionsMetadata_HttpFunctions_AreExactlyTheStandaloneAppsRoutesAndMethods()
    {
        var declared = FileMetadata().SelectMany(HttpRoutes).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(StandaloneRoutes(), declared);
    }

    [Fact]
    public async Task WorkerIndexedMetadata_IsTheSameAsFunctionsMetadata()
    {
        var indexed = await IndexedMetadataAsync();

        Assert.Equal(
            FileMetadata().Select(Describe).Order(StringComparer.Ordinal),
            indexed.Select(Describe).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FunctionsMetadata_ListsTheHttpFunctionsAndExactlyTheQueueAndTimerFunctions()
    {
        var functions = FileMetadata();
        var others = functions.Where(f => !HttpRoutes(f).Any()).Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal);

        Assert.Equal(NonHttpFunctions.Order(StringComparer.Ordinal), others);
        Assert.Equal(functions.Count, functions.Select(f => f.GetProperty("name").GetString()).Distinct().Count());
    }

    [Theory]
    [InlineData(DeliverWebhookOrchestrator.Name, "orchestrationTrigger")]
    [InlineData(DeliveryAttemptActivity.Name, "activityTrigger")]
    [InlineData(DeliveryExhaustedActivity.Name, "activityTrigger")]
    public void DeliveryFunctions_AreTheOrchestrationAndActivityTriggersOfTheirNames(string name, string triggerType)
    {
        Assert.Equal(triggerType, Trigger(name).GetProperty("type").GetString());
    }

    [Theory]
    [InlineData(StorageNames.JobsQueue)]
    public void QueueFunction_TriggersOnItsQueue_ThroughTheStorageConnection(string name)
    {
        var trigger = Trigger(name);

        Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(name, trigger.GetProperty("queueName").GetString());
        Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
    }

    [Fact]
    public void SweeperFunction_IsATimerEveryMinute()
    {
        var trigger = Trigger(SweeperFunction.Name);

        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("0 */1 * * * *", trigger.GetProperty("schedule").GetString());
        Assert.Equal(Sweeper.Interval, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void HttpFunctions_AreAnonymousAtTheHost_BecauseTheAppAuthenticatesItself()
    {
        var levels = FileMetadata().SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "httpTrigger")
            .Select(b => b.GetProperty("authLevel").GetString())
            .Distinct();

        Assert.Equal(["Anonymous"], levels);
    }

    /// <summary>The standalone app's route table, as <c>METHOD route</c> with the route written as a Functions route.</summary>
    private static List<string> StandaloneRoutes()
    {
        var app = WebhooksApp.Build(WebhooksApp.CreateBuilder(["--environment=Development"]));
        return app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => Methods(e).Select(method => $"{method} {Normalize(e.RoutePattern.RawText!)}"))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// A route's methods; a Razor page (the portal) declares none, because its handlers are chosen by method: it
    /// answers GET and POST.
    /// </summary>
    private static IEnumerable<string> Methods(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods
        ?? (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not null ? ["GET", "POST"] : []);

    private static string Normalize(string route) => route.Trim('/');

    private static IEnumerable<string> HttpRoutes(JsonElement function) => function.GetProperty("bindings").EnumerateArray()
        .Where(b => b.GetProperty("type").GetString() == "httpTrigger")
        .SelectMany(b => b.GetProperty("methods").EnumerateArray().Select(m => $"{m.GetString()!.ToUpperInvariant()} {Normalize(b.GetProperty("route").GetString()!)}"));

    private static JsonElement Trigger(string name) => FileMetadata()
        .Single(f => f.GetProperty("name").GetString() == name)
        .GetProperty("bindings").EnumerateArray()
        .Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    /// <summary><c>functions.metadata</c> as the build wrote it next to the app (and the test project copied it here).</summary>
    private static List<JsonElement> FileMetadata()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"The build wrote no {path}.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    /// <summary>The metadata the worker itself answers the host's metadata request with (worker indexing).</summary>
    private static async Task<List<JsonElement>> IndexedMetadataAsync()
    {
        using var host = WorkerApp.Build(["--functions-uri", "http://127.0.0.1:1/", "--Security:SecretEncryptionKey=" + Convert.ToBase64String(new byte[32])]);
        var provider = host.Services.GetRequiredService<IFunctionMetadataProvider>();
        var functions = await provider.GetFunctionMetadataAsync(AppContext.BaseDirectory);
        return functions.Select(f => JsonDocument.Parse(JsonSerializer.Serialize(new
        {
            name = f.Name,
            bindings = f.RawBindings!.Select(b => JsonDocument.Parse(b).RootElement),
        })).RootElement.Clone()).ToList();
    }

    /// <summary>A function's name and each binding's type, direction and trigger settings, in a comparable line.</summary>
    private static string Describe(JsonElement function) => function.GetProperty("name").GetString() + ": " + string.Join("; ",
        function.GetProperty("bindings").EnumerateArray().Select(b => string.Join(",",
            new[] { "type", "direction", "route", "methods", "authLevel", "queueName", "connection", "schedule" }
                .Select(k => b.EnumerateObject().FirstOrDefault(p => p.Name.Equals(k, StringComparison.OrdinalIgnoreCase)))
                .Where(p => p.Value.ValueKind != JsonValueKind.Undefined)
                .Select(p => $"{p.Name.ToLowerInvariant()}={Text(p.Value).ToLowerInvariant()}"))).Order(StringComparer.Ordinal));

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.Array
        ? string.Join("|", value.EnumerateArray().Select(Text))
        : value.ToString();
}
