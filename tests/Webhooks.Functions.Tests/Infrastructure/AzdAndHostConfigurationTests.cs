using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Webhooks.Functions.Hosting;
using Webhooks.Functions.Hosting.Worker;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// The files the Functions host and azd read: <c>host.json</c> and <c>local.settings.sample.json</c> (the repository's top level),
/// <c>azure.yaml</c> and <c>infra/main.parameters.json</c>.
/// </summary>
public sealed class AzdAndHostConfigurationTests
{
    [Fact]
    public void HostJson_IsAnIsolatedWorkersHostJson_WithTheAppsRoutesAtTheRoot()
    {
        using var host = Read(InfraPaths.HostJson);
        var root = host.RootElement;

        Assert.Equal("2.0", root.GetProperty("version").GetString());
        // The isolated worker brings its binding extensions in .azurefunctions/; a bundle or a custom handler has no place.
        Assert.False(root.TryGetProperty("customHandler", out _));
        Assert.False(root.TryGetProperty("extensionBundle", out _));
        Assert.Equal("", root.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Fact]
    public void HostJson_QueuesMatchTheApp()
    {
        using var host = Read(InfraPaths.HostJson);
        var queues = host.RootElement.GetProperty("extensions").GetProperty("queues");

        // The app writes Base64 messages (QueueMessageEncoding.Base64); the host must decode the same way.
        Assert.Equal("base64", queues.GetProperty("messageEncoding").GetString());
        // The standalone poller poisons after as many tries as the host does.
        Assert.Equal(QueuePoller.MaxDequeueCount, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.InRange(queues.GetProperty("batchSize").GetInt32(), 1, 32);
        // ... and tries a failed message again as soon.
        Assert.Equal(QueuePoller.RetryDelay, Time(queues, "visibilityTimeout"));
        Assert.Equal(TimeSpan.FromSeconds(2), Time(queues, "maxPollingInterval"));
    }

    [Fact]
    public void HostJson_DurableTaskHub_IsOnAzureStorageThroughTheIdentityBasedStorageConnection()
    {
        using var host = Read(InfraPaths.HostJson);
        var durable = host.RootElement.GetProperty("extensions").GetProperty("durableTask");
        var provider = durable.GetProperty("storageProvider");

        Assert.Equal("webhooks", durable.GetProperty("hubName").GetString());
        Assert.Equal("AzureStorage", provider.GetProperty("type").GetString());
        // The same connection as the queue triggers: AzureWebJobsStorage__accountName in Azure, a managed identity.
        Assert.Equal(QueueFunctions.Connection, provider.GetProperty("connectionName").GetString());
        Assert.Contains("'AzureWebJobsStorage__accountName'", CompiledTemplate.Text, StringComparison.Ordinal);
        Assert.InRange(provider.GetProperty("partitionCount").GetInt32(), 1, 16);
        Assert.InRange(Time(provider, "maxQueuePollingInterval"), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void LocalSettingsSample_RunsTheIsolatedWorker()
    {
        using var settings = Read(InfraPaths.LocalSettingsSample);
        var values = settings.RootElement.GetProperty("Values");

        Assert.Equal("dotnet-isolated", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty("AzureWebJobsStorage").GetString());
    }

    [Fact]
    public void AzureYaml_DeploysTheAppProjectAsAFunctionApp_WithBicepFromInfra()
    {
        var yaml = File.ReadAllText(InfraPaths.AzureYaml);

        Assert.Matches(new Regex(@"(?m)^\s+project: \./src/Webhooks\.Functions$"), yaml);
        Assert.Matches(new Regex(@"(?m)^\s+language: dotnet$"), yaml);
        Assert.Matches(new Regex(@"(?m)^\s+host: function$"), yaml);
        Assert.Matches(new Regex(@"(?m)^\s+provider: bicep$"), yaml);
        Assert.True(File.Exists(Path.Combine(InfraPaths.AppProject, "Webhooks.Functions.csproj")));
        var hook = Regex.Match(yaml, @"run: \./(?<script>\S+)").Groups["script"].Value;
        Assert.True(File.Exists(Path.Combine(InfraPaths.RepositoryRoot, hook)), $"azure.yaml runs {hook}, which does not exist");
    }

    [Fact]
    public void AzdParameters_NameOnlyTemplateParameters_AndCoverEveryRequiredOne()
    {
        using var parameters = Read(InfraPaths.AzdParameters);
        var given = parameters.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();
        var declared = CompiledTemplate.Root.GetProperty("parameters").EnumerateObject().ToList();
        var required = declared.Where(p => !p.Value.TryGetProperty("defaultValue", out _)).Select(p => p.Name);

        Assert.All(given, name => Assert.Contains(name, declared.Select(p => p.Name)));
        Assert.All(required, name => Assert.Contains(name, given));
        // azd fills ${VAR} from its environment; the secrets come from the preprovision hook, never from the file.
        Assert.Equal("${WEBHOOKS_ADMIN_API_KEY}", parameters.RootElement.GetProperty("parameters").GetProperty("adminApiKey").GetProperty("value").GetString());
        Assert.Equal("${AZURE_LOCATION}", parameters.RootElement.GetProperty("parameters").GetProperty("location").GetProperty("value").GetString());
    }

    private static TimeSpan Time(JsonElement section, string name) =>
        TimeSpan.Parse(section.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    private static JsonDocument Read(string path) => JsonDocument.Parse(File.ReadAllText(path));
}
