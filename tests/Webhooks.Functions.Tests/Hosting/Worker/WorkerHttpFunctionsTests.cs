using System.Net;
using System.Text.Json;
using Webhooks.Functions.Hosting.Worker;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Hosting.Worker;

/// <summary>
/// The HTTP functions called as the worker's ASP.NET Core integration calls them, against Azurite: each answers the
/// way the standalone app answers the same request.
/// </summary>
public sealed class WorkerHttpFunctionsTests : IClassFixture<WorkerHttpFunctionsTests.Hosts>
{
    private readonly Hosts _hosts;

    public WorkerHttpFunctionsTests(Hosts hosts) => _hosts = hosts;

    /// <summary>Each HTTP function with each of its methods (a portal page answers GET and POST).</summary>
    public static TheoryData<string, string> HttpFunctionNamesAndMethods()
    {
        var functions = new TheoryData<string, string>();
        foreach (var (name, method, _, _) in WorkerFunctions.Http)
        {
            functions.Add(name, method);
        }
        return functions;
    }

    [Theory]
    [MemberData(nameof(HttpFunctionNamesAndMethods))]
    public async Task HttpFunction_AnswersAsTheStandaloneAppAnswersTheSameRequest(string name, string method)
    {
        var (_, _, route, function) = WorkerFunctions.Http.Single(f => f.Name == name && f.Method == method);
        var path = WorkerFunctions.PathFor(route);
        var key = path.StartsWith("/v1/admin/", StringComparison.Ordinal) ? TestApp.AdminKey : TestApp.DevApiKey;
        // The API's functions or the portal's (PortalFunctions), made as the worker makes them.
        var functions = ActivatorUtilities.CreateInstance(_hosts.Worker.Services, function.DeclaringType!);
        // Routes that start deliveries take the function's Durable client too: a real in-process engine's.
        await using var durable = function.GetParameters().Length > 1
            ? await InProcessDurable.StartAsync(_ => { })
            : null;
        Func<HttpRequest, IResult> call = request => (IResult)function.Invoke(functions, durable is null ? [request] : [request, durable.Client])!;

        // Without credentials, then with them: both hosts must agree on status, media type and authentication challenge.
        foreach (var apiKey in new[] { null, key })
        {
            var worker = await WorkerTestHost.InvokeAsync(call, _hosts.Worker.Request(new HttpMethod(method), path, apiKey));
            // Redirects are answers too (/docs sends the browser to /docs/): compare them, do not follow them.
            using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = _hosts.Standalone.BaseAddress };
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (apiKey is not null)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
            }
            using var standalone = await client.SendAsync(request);

            var because = $"{method} {path} with{(apiKey is null ? "out" : "")} a key: worker {worker.StatusCode} {worker.Body}";
            Assert.True(standalone.StatusCode == worker.Status, because);
            Assert.True(standalone.Content.Headers.ContentType?.MediaType == MediaType(worker.ContentType), because);
            Assert.Equal(standalone.Headers.WwwAuthenticate.ToString(), worker.Headers.WWWAuthenticate.ToString());
            Assert.Equal(standalone.Headers.Location?.ToString() ?? "", worker.Headers.Location.ToString());
        }
    }

    [Fact]
    public async Task GetOpenApiDocument_ServesTheDocumentTheStandaloneAppServes()
    {
        var worker = await WorkerTestHost.InvokeAsync(_hosts.Worker.Function<ApiFunctions>().GetOpenApiDocument,
            _hosts.Worker.Request(HttpMethod.Get, "/openapi/v1.json", apiKey: null));
        using var client = _hosts.Standalone.Client(apiKey: null);
        var standalone = await (await client.GetAsync("/openapi/v1.json")).AssertJsonAsync(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.OK, worker.Status);
        Assert.Contains("/v1/batches", Paths(worker.Json()));
        // Everything but the server, which is the host that answered.
        Assert.Equal(WithoutServers(standalone), WithoutServers(worker.Json()));
    }

    private static string WithoutServers(JsonElement document)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(document.GetRawText())!.AsObject();
        node.Remove("servers");
        return node.ToJsonString();
    }

    [Fact]
    public async Task CreateBatch_ThroughTheFunction_Answers201_ReplaysItsIdempotencyKey_AndRejectsTheKeyWithAnotherBody()
    {
        var functions = _hosts.Worker.Function<ApiFunctions>();
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = "worker-" + Guid.NewGuid().ToString("N") };
        const string body = """{"items":[{"url":"https://example.com/a","custom_id":"a"}]}""";

        var created = await WorkerTestHost.InvokeAsync(functions.CreateBatch, _hosts.Worker.Request(HttpMethod.Post, "/v1/batches", json: body, headers: headers));
        var replayed = await WorkerTestHost.InvokeAsync(functions.CreateBatch, _hosts.Worker.Request(HttpMethod.Post, "/v1/batches", json: body, headers: headers));
        var conflicting = await WorkerTestHost.InvokeAsync(functions.CreateBatch,
            _hosts.Worker.Request(HttpMethod.Post, "/v1/batches", json: body.Replace("/a", "/b", StringComparison.Ordinal), headers: headers));

        Assert.True(created.Status == HttpStatusCode.Created, created.Body);
        var id = created.Json().GetProperty("id").GetString()!;
        Assert.Equal("/v1/batches/" + id, created.Headers.Location.ToString());
        Assert.Equal(HttpStatusCode.Created, replayed.Status);
        Assert.Equal(id, replayed.Json().GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, conflicting.Status);
        Assert.Equal("application/problem+json", MediaType(conflicting.ContentType));

        var fetched = await WorkerTestHost.InvokeAsync(functions.GetBatch, _hosts.Worker.Request(HttpMethod.Get, "/v1/batches/" + id));
        Assert.Equal(HttpStatusCode.OK, fetched.Status);
        Assert.Equal("batch", fetched.Json().GetProperty("object").GetString());
    }

    [Fact]
    public async Task CreateBatch_InvalidItems_Answers400WithTheJsonPathOfEachBadField()
    {
        var functions = _hosts.Worker.Function<ApiFunctions>();

        var response = await WorkerTestHost.InvokeAsync(functions.CreateBatch,
            _hosts.Worker.Request(HttpMethod.Post, "/v1/batches", json: """{"items":[{"url":"ftp://x"},{"url":"https://ok.example/"}],"webhook":"nope"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        var errors = response.Json().GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["items[0].url", "webhook"], errors);
    }

    [Fact]
    public async Task GetTeam_OverTheTeamRateLimit_Answers429WithRetryAfter()
    {
        await using var worker = await WorkerTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimit:PermitsPerSecond"] = "1",
            ["RateLimit:Burst"] = "2",
        });
        var functions = worker.Function<ApiFunctions>();

        var answers = new List<FunctionResponse>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await WorkerTestHost.InvokeAsync(functions.GetTeam, worker.Request(HttpMethod.Get, "/v1/team")));
        }

        Assert.Equal(HttpStatusCode.OK, answers[0].Status);
        var limited = answers.First(a => a.Status == HttpStatusCode.TooManyRequests);
        Assert.Equal("application/problem+json", MediaType(limited.ContentType));
        Assert.True(int.Parse(limited.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }

    private static string? MediaType(string? contentType) =>
        contentType is null ? null : System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType).MediaType;

    private static List<string> Paths(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();

    /// <summary>One worker and one standalone app, each with its own storage prefix, shared by the tests of the class.</summary>
    public sealed class Hosts : IAsyncLifetime
    {
        public WorkerTestHost Worker { get; private set; } = null!;

        public TestApp Standalone { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Worker = await WorkerTestHost.StartAsync();
            Standalone = await TestApp.StartAsync();
        }

        public async Task DisposeAsync()
        {
            await Worker.DisposeAsync();
            await Standalone.DisposeAsync();
        }
    }
}
