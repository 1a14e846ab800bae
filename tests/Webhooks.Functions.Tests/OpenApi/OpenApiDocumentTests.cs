using System.Net;
using System.Text.Json;
using Webhooks.Functions.Events;
using Webhooks.Functions.Jobs;
using Webhooks.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.Functions.Tests.OpenApi;

/// <summary>
/// The OpenAPI document the running app serves: lint-clean under Redocly CLI's rules (tools/redocly.yaml), and saying
/// what the API does — its answers, headers, security and limits are the ones the requests in these tests get.
/// </summary>
public sealed class OpenApiDocumentTests(AppFixture fixture, ITestOutputHelper output) : IClassFixture<AppFixture>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("webhooks-openapi-").FullName;

    private TestApp App => fixture.App;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task OpenApiDocument_LintedByRedocly_HasNoProblem()
    {
        var document = Path.Combine(_work, "v1.json");
        using var client = App.Client(apiKey: null);
        await File.WriteAllBytesAsync(document, await client.GetByteArrayAsync("/openapi/v1.json"));

        var (exitCode, lint) = await ChildProcess.RunAsync("node",
            [Path.Combine("node_modules", "@redocly", "cli", "bin", "cli.js"), "lint", document, "--config", "redocly.yaml", "--format", "stylish"],
            RepositoryPaths.Tools,
            new Dictionary<string, string> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true", ["NO_COLOR"] = "1" });

        output.WriteLine(lint);
        Assert.True(exitCode == 0, lint);
        Assert.Contains("Your API description is valid", lint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateBatch_Documented_EveryAnswerTheRouteGives()
    {
        var operation = (await DocumentAsync()).GetProperty("paths").GetProperty("/v1/batches").GetProperty("post");
        var responses = operation.GetProperty("responses");

        Assert.Equal("CreateBatch", operation.GetProperty("operationId").GetString());
        Assert.Equal(["201", "400", "401", "409", "413", "415", "422", "429", "503"], responses.EnumerateObject().Select(r => r.Name).Order());
        Assert.True(responses.GetProperty("201").GetProperty("headers").TryGetProperty("Location", out _));
        Assert.True(responses.GetProperty("401").GetProperty("headers").TryGetProperty("WWW-Authenticate", out _));
        Assert.True(responses.GetProperty("429").GetProperty("headers").TryGetProperty("Retry-After", out _));
        Assert.True(responses.GetProperty("503").GetProperty("headers").TryGetProperty("Retry-After", out _));
        Assert.EndsWith("/HttpValidationProblemDetails",
            responses.GetProperty("400").GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString(),
            StringComparison.Ordinal);
        Assert.Contains(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key");
    }

    [Fact]
    public async Task CreateBatchRequest_DocumentedLimits_AreTheLimitsTheApiEnforces()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");
        var customIdLimit = schemas.GetProperty("BatchItemRequest").GetProperty("properties").GetProperty("custom_id").GetProperty("maxLength").GetInt32();
        var itemsLimit = schemas.GetProperty("CreateBatchRequest").GetProperty("properties").GetProperty("items").GetProperty("maxItems").GetInt32();
        Assert.Equal(JobsApi.MaxItems, itemsLimit);

        using var client = App.Client();
        var atLimit = $$"""{"items":[{"url":"https://example.com/","custom_id":"{{new string('a', customIdLimit)}}"}]}""";
        var overLimit = $$"""{"items":[{"url":"https://example.com/","custom_id":"{{new string('a', customIdLimit + 1)}}"}]}""";
        var accepted = await client.PostAsync("/v1/batches", new StringContent(atLimit, System.Text.Encoding.UTF8, "application/json"));
        var rejected = await (await client.PostAsync("/v1/batches", new StringContent(overLimit, System.Text.Encoding.UTF8, "application/json")))
            .AssertJsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.True(rejected.GetProperty("errors").TryGetProperty("items[0].custom_id", out _));
    }

    [Fact]
    public async Task Operations_EachNamedAndTagged_V1WithTheTeamKey_AdminWithTheAdminKey()
    {
        var document = await DocumentAsync();
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Path: path.Name, Operation: op.Value))).ToList();

        Assert.NotEmpty(operations);
        Assert.All(operations, o =>
        {
            Assert.False(string.IsNullOrEmpty(o.Operation.GetProperty("operationId").GetString()), o.Path);
            Assert.Single(o.Operation.GetProperty("tags").EnumerateArray());
            var scheme = Assert.Single(Assert.Single(o.Operation.GetProperty("security").EnumerateArray()).EnumerateObject()).Name;
            Assert.Equal(o.Path.StartsWith("/v1/admin/", StringComparison.Ordinal) ? "admin_api_key" : "team_api_key", scheme);
        });
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("team_api_key").GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task GetStats_Documented_WithItsParametersAnswersAndExample()
    {
        var document = await DocumentAsync();
        var operation = document.GetProperty("paths").GetProperty("/v1/stats").GetProperty("get");

        Assert.Equal("GetStats", operation.GetProperty("operationId").GetString());
        Assert.Equal(["bucket", "endpoint_id", "since", "until"], operation.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Order());
        Assert.Equal(["200", "400", "401", "404", "429", "503"], operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty("StatsResponse");
        var example = schema.GetProperty("examples")[0];
        Assert.Equal("PT1H", example.GetProperty("bucket").GetString());
        var entry = example.GetProperty("data")[0];
        Assert.Equal(["attempts", "delivered", "delivery_latency_ms", "duration_ms", "failed", "start"], entry.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(["3xx", "4xx", "5xx", "connection", "timeout"], entry.GetProperty("failed").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Webhooks_OneForEveryEventType_WithItsEnvelope()
    {
        var document = await DocumentAsync();
        var webhooks = document.GetProperty("webhooks");

        Assert.Equal(EventTypes.All.Order(), webhooks.EnumerateObject().Select(w => w.Name).Order());
        var envelope = document.GetProperty("components").GetProperty("schemas").GetProperty("BatchCompletedEvent");
        Assert.Equal(["data", "delivery_attempt", "id", "object", "timestamp"], envelope.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("event.batch.completed", envelope.GetProperty("properties").GetProperty("object").GetProperty("enum")[0].GetString());
        Assert.EndsWith("/BatchResponse", envelope.GetProperty("properties").GetProperty("data").GetProperty("$ref").GetString(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = App.Client(apiKey: null);
        return await (await client.GetAsync("/openapi/v1.json")).AssertJsonAsync(HttpStatusCode.OK);
    }
}
