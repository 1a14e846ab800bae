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
    public void FunctionsMetadata_BreaksNoRuleTheFunctionsHostAppliesWhenItLoadsFunctions()
    {
        var violations = FunctionsHostRules.Check(FileMetadata());

        Assert.True(violations.Count == 0,
            "The Functions host would refuse these functions:" + Environment.NewLine + string.Join(Environment.NewLine, violations));
    }

    [Theory]
    [InlineData("CreateTeam", "admin/teams", "post", "reserved route")]
    [InlineData("ManageTeams", "/Administration/teams", "get", "reserved route")]
    [InlineData("Probe", "RUNTIME/status", "get", "reserved route")]
    [InlineData("Broken", "v1/{id", "get", "route template")]
    [InlineData("1stFunction", "v1/first", "get", "function name")]
    [InlineData("host", "v1/host", "get", "function name")]
    public void HostRules_RefuseAFunction_NamingItAndTheRule(string name, string route, string method, string rule)
    {
        var violations = FunctionsHostRules.Check([Function(name, route, method)]);

        var violation = Assert.Single(violations);
        Assert.Equal((name, rule), (violation.Function, violation.Rule));
    }

    [Fact]
    public void HostRules_RefuseTwoFunctionsOnOneRouteAndMethod_ButNotOnOneRouteWithOtherMethods()
    {
        Assert.Empty(FunctionsHostRules.Check([Function("GetThing", "v1/things/{id}", "get"), Function("DeleteThing", "v1/things/{id}", "delete")]));

        var violation = Assert.Single(FunctionsHostRules.Check([Function("GetThing", "v1/things/{id}", "get"), Function("ReadThing", "/V1/Things/{id}/", "get")]));
        Assert.Equal(("ReadThing", "route conflict"), (violation.Function, violation.Rule));
        Assert.Contains("'GetThing'", violation.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void HostRules_RefuseDuplicateNamesIgnoringCase_AndBadBindingNames()
    {
        var violations = FunctionsHostRules.Check([Function("GetThing", "v1/a", "get"), Function("getthing", "v1/b", "get", bindingName: "my-request")]);

        Assert.Equal(["getthing: binding name", "getthing: unique function name"],
            violations.Select(v => $"{v.Function}: {v.Rule}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void HostRules_ServeATriggerWithoutARouteAtTheFunctionsName()
    {
        var violation = Assert.Single(FunctionsHostRules.Check([Function("admin", route: null, "get")]));

        Assert.Equal("reserved route", violation.Rule);
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

    /// <summary>An HTTP function's metadata as the SDK writes it into <c>functions.metadata</c>.</summary>
    private static JsonElement Function(string name, string? route, string method, string bindingName = "request")
    {
        var trigger = new Dictionary<string, object> { ["name"] = bindingName, ["direction"] = "In", ["type"] = "httpTrigger", ["authLevel"] = "Anonymous", ["methods"] = new[] { method } };
        if (route is not null)
        {
            trigger["route"] = route;
        }
        return JsonSerializer.SerializeToElement(new
        {
            name,
            bindings = new object[] { trigger, new Dictionary<string, string> { ["name"] = "$return", ["type"] = "http", ["direction"] = "Out" } },
        });
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
