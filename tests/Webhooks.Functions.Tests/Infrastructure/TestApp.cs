using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Webhooks.Functions.Hosting;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// The real app on real HTTP (Kestrel on 127.0.0.1, port 0) against a real Azurite, in the Development environment,
/// with its own Storage:Prefix so that apps under test never see each other's data.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key";
    public const string DevApiKey = "whk_test_dev_key";
    private static readonly TimeSpan StorageSetUpTimeout = TimeSpan.FromSeconds(90);

    private TestApp(WebApplication app, Uri baseAddress, string prefix, string connectionString)
    {
        App = app;
        BaseAddress = baseAddress;
        Prefix = prefix;
        ConnectionString = connectionString;
    }

    public WebApplication App { get; }
    public Uri BaseAddress { get; }
    public string Prefix { get; }
    public string ConnectionString { get; }
    public IServiceProvider Services => App.Services;

    public static async Task<TestApp> StartAsync(
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null,
        string? connectionString = null,
        string? prefix = null,
        bool waitForStorage = true)
    {
        connectionString ??= (await AzuriteProcess.Shared).ConnectionString;
        prefix ??= "t" + Guid.NewGuid().ToString("N")[..12];
        var all = new Dictionary<string, string?>
        {
            ["environment"] = "Development",
            ["urls"] = "http://127.0.0.1:0",
            ["AzureWebJobsStorage"] = connectionString,
            ["Storage:Prefix"] = prefix,
            ["Admin:ApiKey"] = AdminKey,
            ["Dev:ApiKey"] = DevApiKey,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Delivery:Jitter"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var args = all.Where(p => p.Value is not null).Select(p => $"--{p.Key}={p.Value}").ToArray();
        var builder = WebhooksApp.CreateBuilder(args);
        configureServices?.Invoke(builder.Services);
        var app = WebhooksApp.Build(builder);
        await app.StartAsync();
        if (waitForStorage)
        {
            // The app listens at once and sets storage up in the background; most tests want it ready.
            await app.Services.GetRequiredService<StorageReadiness>().WaitAsync(CancellationToken.None).WaitAsync(StorageSetUpTimeout);
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestApp(app, new Uri(address), prefix, connectionString);
    }

    /// <summary>An HTTP client for the API, authenticated as <paramref name="apiKey"/> when given.</summary>
    public HttpClient Client(string? apiKey = DevApiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
