using System.Net;
using System.Text.Json;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Hosting.Functions;

/// <summary>The invocation endpoints as the Functions host calls them (docs/functions-host-contract.md).</summary>
public sealed class FunctionInvocationEndpointTests(CustomHandlerAppFixture fixture) : IClassFixture<CustomHandlerAppFixture>
{
    /// <summary>A real deliveries message; the delivery does not exist, so handling it is a successful no-op.</summary>
    private const string UnknownDeliveryMessage = """{"deliveries":[{"partition":"batch_0000000000000000","delivery_id":"dlv_0000000000000000"}]}""";

    private FunctionsHostClient Host => fixture.Host;

    [Fact]
    public void App_InCustomHandlerMode_ListensOnTheHostsPortOnLoopback()
    {
        var port = fixture.App.Services.GetRequiredService<IConfiguration>()["FUNCTIONS_CUSTOMHANDLER_PORT"];

        Assert.Equal($"http://127.0.0.1:{port}/", fixture.App.BaseAddress.ToString());
    }

    [Fact]
    public async Task Deliveries_HostPayloadWithDoubleEncodedMessage_Answers200WithInvocationResult()
    {
        var response = await Host.InvokeQueueAsync("deliveries", UnknownDeliveryMessage, dequeueCount: 2);

        await AssertInvocationResultAsync(response, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Deliveries_ContractDocumentsPayloadShape_Answers200()
    {
        // The contract document's sample, verbatim apart from the message, which must be a real deliveries message.
        var payload = """
            {
              "Data": {
                "message": "\"{\\\"deliveries\\\":[{\\\"partition\\\":\\\"batch_0000000000000000\\\",\\\"delivery_id\\\":\\\"dlv_0000000000000000\\\"}]}\""
              },
              "Metadata": {
                "DequeueCount": "1",
                "ExpirationTime": "2025-11-30T10:15:02+00:00",
                "Id": "\"6f1c2a9e-5b0d-4a43-9a43-7c1d9f0e2b11\"",
                "InsertionTime": "2025-11-23T10:15:02+00:00",
                "NextVisibleTime": "2025-11-23T10:25:03+00:00",
                "PopReceipt": "\"AgAAAAMAAAAAAAAAr3D1f7Zc3AE=\"",
                "sys": { "MethodName": "deliveries", "UtcNow": "2025-11-23T10:15:03.1234567Z", "RandGuid": "9d2b7c44-1e0f-4c1a-8a51-0e6f7a3b2c19" }
              }
            }
            """;

        var response = await Host.SendAsync(Host.Invocation("deliveries", payload));

        await AssertInvocationResultAsync(response, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Deliveries_HandlerFails_Answers500WithTheErrorInLogs()
    {
        // Well-formed invocation, but the message is not a deliveries message: the handler throws.
        var response = await Host.InvokeQueueAsync("deliveries", """{"deliveries":null}""", dequeueCount: 3, messageId: "m-failing");

        var result = await AssertInvocationResultAsync(response, HttpStatusCode.InternalServerError);
        var log = Assert.Single(result.GetProperty("Logs").EnumerateArray()).GetString();
        Assert.Contains("m-failing", log, StringComparison.Ordinal);
        Assert.Contains("try 3", log, StringComparison.Ordinal);
        Assert.Contains("FormatException", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"Metadata":{}}""")]
    [InlineData("""{"Data":{"other":"x"}}""")]
    [InlineData("""{"Data":{"message":5}}""")]
    [InlineData("""{"Data":{"message":"\"{}\""},"Metadata":{"DequeueCount":"many"}}""")]
    public async Task Deliveries_MalformedPayload_Answers400(string payload)
    {
        var response = await Host.SendAsync(Host.Invocation("deliveries", payload));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sweeper_HostTimerPayload_Answers200WithInvocationResult(bool isPastDue)
    {
        var response = await Host.InvokeTimerAsync("sweeper", isPastDue);

        await AssertInvocationResultAsync(response, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Sweeper_ContractDocumentsPayload_Answers200()
    {
        var payload = """
            {
              "Data": {
                "timer": {
                  "Schedule": { "AdjustForDST": true },
                  "ScheduleStatus": { "Last": "2025-11-23T10:14:00+00:00", "Next": "2025-11-23T10:15:00+00:00", "LastUpdated": "2025-11-23T10:14:00.0151234+00:00" },
                  "IsPastDue": false
                }
              },
              "Metadata": { "sys": { "MethodName": "sweeper", "UtcNow": "2025-11-23T10:15:00.0123456Z", "RandGuid": "3f1d0a4c-8b7e-4f26-9c3d-5e2a1b0c9d87" } }
            }
            """;

        var response = await Host.SendAsync(Host.Invocation("sweeper", payload));

        await AssertInvocationResultAsync(response, HttpStatusCode.OK);
    }

    public static TheoryData<string, string> NotFromTheHost => new()
    {
        { "deliveries", "public Host" },
        { "deliveries", "X-Forwarded-For" },
        { "deliveries", "X-Forwarded-Host" },
        { "deliveries", "X-Original-URL" },
        { "deliveries", "X-ARR-LOG-ID" },
        { "deliveries", "DISGUISED-HOST" },
        { "deliveries", "Client-IP" },
        { "deliveries", "no invocation id" },
        { "deliveries", "invocation id not a GUID" },
        { "deliveries", "two invocation ids" },
        { "deliveries", "other port in Host" },
        { "jobs", "public Host" },
        { "sweeper", "public Host" },
        { "sweeper", "X-Forwarded-For" },
    };

    [Theory]
    [MemberData(nameof(NotFromTheHost))]
    public async Task Invocation_NotBuiltByTheHost_Answers404(string function, string difference)
    {
        var payload = function == "sweeper"
            ? FunctionsHostClient.TimerPayload(function, isPastDue: false)
            : FunctionsHostClient.QueuePayload(function, UnknownDeliveryMessage, 1, Guid.NewGuid().ToString(), "r");
        var request = Host.Invocation(function, payload);
        var headers = request.Headers;
        switch (difference)
        {
            case "public Host":
                headers.Host = FunctionsHostClient.PublicHost;
                break;
            case "no invocation id":
                headers.Remove("X-Azure-Functions-InvocationId");
                break;
            case "invocation id not a GUID":
                headers.Remove("X-Azure-Functions-InvocationId");
                headers.TryAddWithoutValidation("X-Azure-Functions-InvocationId", "not-a-guid");
                break;
            case "two invocation ids":
                headers.TryAddWithoutValidation("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
                break;
            case "other port in Host":
                headers.Host = "127.0.0.1:1";
                break;
            default:
                headers.TryAddWithoutValidation(difference, difference == "X-Original-URL" ? "/" + function : "203.0.113.7");
                break;
        }

        var response = await Host.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Invocation_LocalhostWithTheHostsPort_IsAccepted()
    {
        var request = Host.Invocation("deliveries", FunctionsHostClient.QueuePayload("deliveries", UnknownDeliveryMessage, 1, "m", "r"));
        request.Headers.Host = "localhost:" + Host.AppAddress.Port;

        await AssertInvocationResultAsync(await Host.SendAsync(request), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ForwardedApiRequests_AnswerAsTheApiDoes()
    {
        var health = await Host.SendAsync(Host.Forwarded(HttpMethod.Get, "/healthz"));
        var team = await (await Host.SendAsync(Host.Forwarded(HttpMethod.Get, "/v1/team", TestApp.DevApiKey))).AssertJsonAsync(HttpStatusCode.OK);
        var unauthenticated = await Host.SendAsync(Host.Forwarded(HttpMethod.Get, "/v1/team"));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("dev", team.GetProperty("name").GetString());
        await unauthenticated.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task InvocationPaths_InStandaloneMode_DoNotExist()
    {
        await using var standalone = await TestApp.StartAsync();
        using var host = new FunctionsHostClient(standalone.BaseAddress);

        var deliveries = await host.InvokeQueueAsync("deliveries", UnknownDeliveryMessage);
        var jobs = await host.InvokeQueueAsync("jobs", """{"jobId":"batch_0000000000000000"}""");
        var sweeper = await host.InvokeTimerAsync("sweeper");

        Assert.Equal(HttpStatusCode.NotFound, deliveries.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, jobs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, sweeper.StatusCode);
    }

    /// <summary>The shape the host requires: JSON with Outputs, Logs and ReturnValue (null).</summary>
    private static async Task<JsonElement> AssertInvocationResultAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var result = await response.AssertJsonAsync(status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JsonValueKind.Object, result.GetProperty("Outputs").ValueKind);
        Assert.Empty(result.GetProperty("Outputs").EnumerateObject());
        Assert.Equal(JsonValueKind.Array, result.GetProperty("Logs").ValueKind);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("ReturnValue").ValueKind);
        if (status == HttpStatusCode.OK)
        {
            Assert.Empty(result.GetProperty("Logs").EnumerateArray());
        }
        return result;
    }
}
