using System.Text.Json;

namespace Webhooks.Functions.Tests.Infra;

/// <summary>The files the Functions host reads: <c>host.json</c> and one <c>functions/*/function.json</c> per function.</summary>
public sealed class FunctionsConfigurationTests
{
    [Fact]
    public void HostJson_RunsTheAppAsForwardingCustomHandler()
    {
        using var host = Read(InfraPaths.HostJson);
        var root = host.RootElement;
        var customHandler = root.GetProperty("customHandler");

        Assert.Equal("2.0", root.GetProperty("version").GetString());
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", root.GetProperty("extensionBundle").GetProperty("id").GetString());
        Assert.Equal("[4.*, 5.0.0)", root.GetProperty("extensionBundle").GetProperty("version").GetString());
        Assert.Equal("Webhooks.Functions", customHandler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.True(customHandler.GetProperty("enableForwardingHttpRequest").GetBoolean());
        Assert.Equal("", root.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Fact]
    public void HostJson_QueuesMatchTheApp()
    {
        using var host = Read(InfraPaths.HostJson);
        var queues = host.RootElement.GetProperty("extensions").GetProperty("queues");

        // The app writes Base64 messages (QueueMessageEncoding.Base64); the host must decode the same way.
        Assert.Equal("base64", queues.GetProperty("messageEncoding").GetString());
        Assert.Equal(5, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal(TimeSpan.FromSeconds(2), TimeSpan.Parse(queues.GetProperty("maxPollingInterval").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(TimeSpan.Parse(queues.GetProperty("visibilityTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > TimeSpan.Zero);
    }

    [Fact]
    public void HttpFunction_IsAnonymousCatchAllWithHttpOutput()
    {
        var trigger = Binding("http", "httpTrigger");
        var output = Binding("http", "http");

        Assert.Equal("anonymous", trigger.GetProperty("authLevel").GetString());
        Assert.Equal("{*path}", trigger.GetProperty("route").GetString());
        Assert.Equal("out", output.GetProperty("direction").GetString());
        var methods = trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToList();
        Assert.Subset(methods.ToHashSet(), new HashSet<string> { "GET", "POST", "PUT", "PATCH", "DELETE" });
    }

    [Theory]
    [InlineData("jobs", "jobs")]
    [InlineData("deliveries", "deliveries")]
    public void QueueFunction_TriggersOnTheAppsQueue(string functionName, string queueName)
    {
        var trigger = Binding(functionName, "queueTrigger");

        Assert.Equal(queueName, trigger.GetProperty("queueName").GetString());
        Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
        Assert.Equal("in", trigger.GetProperty("direction").GetString());
    }

    [Fact]
    public void SweeperFunction_RunsEveryMinute()
    {
        var trigger = Binding("sweeper", "timerTrigger");

        Assert.Equal("0 */1 * * * *", trigger.GetProperty("schedule").GetString());
    }

    [Theory]
    [InlineData("http")]
    [InlineData("jobs")]
    [InlineData("deliveries")]
    [InlineData("sweeper")]
    public void Function_HasExactlyOneTrigger(string functionName)
    {
        using var function = Read(InfraPaths.FunctionJson(functionName));

        Assert.Single(function.RootElement.GetProperty("bindings").EnumerateArray(),
            b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
    }

    private static JsonElement Binding(string functionName, string type)
    {
        using var function = Read(InfraPaths.FunctionJson(functionName));
        return function.RootElement.GetProperty("bindings").EnumerateArray()
            .Single(b => b.GetProperty("type").GetString() == type)
            .Clone();
    }

    private static JsonDocument Read(string path) => JsonDocument.Parse(File.ReadAllText(path));
}
