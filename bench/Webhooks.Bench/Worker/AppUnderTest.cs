using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Webhooks.Functions;
using Webhooks.Functions.Events;
using Webhooks.Functions.Hosting;
using Webhooks.Functions.Hosting.Durable;
using Webhooks.Functions.Storage;

namespace Webhooks.Bench.Worker;

/// <summary>
/// The real app, composed by <see cref="WebhooksApp"/> exactly as Program.cs does, in Development (plain-http
/// loopback receivers allowed), with its own Storage:Prefix (and so its own task hub) and a <see cref="StorageOpCounter"/>
/// in the pipelines of its storage clients and its Durable Task engine's. Standalone mode: its own queue pollers,
/// sweeper and Durable Task engine run in this process.
/// </summary>
internal sealed class AppUnderTest : IAsyncDisposable
{
    public const string DevApiKey = "whk_bench_dev_key";

    private readonly bool _running;

    private AppUnderTest(WebApplication app, Uri baseAddress, string prefix, string connectionString, StorageOpCounter counter, string teamId, bool running)
    {
        _running = running;
        App = app;
        BaseAddress = baseAddress;
        Prefix = prefix;
        Counter = counter;
        TeamId = teamId;
        ConnectionString = connectionString;
    }

    public WebApplication App { get; }
    public Uri BaseAddress { get; }
    public string Prefix { get; }
    public string ConnectionString { get; }
    public StorageOpCounter Counter { get; }
    public string TeamId { get; }

    public EventRaiser Raiser => App.Services.GetRequiredService<EventRaiser>();
    public StorageAccount Storage => App.Services.GetRequiredService<StorageAccount>();
    /// <summary>The options the app's Durable Task engine runs with.</summary>
    public DurableOptions Durable => App.Services.GetRequiredService<IOptions<DurableOptions>>().Value;

    /// <summary>The bench's own client for the app's jobs table: its reads are not counted as the app's.</summary>
    public TableClient JobsTableForChecks => new TableServiceClient(ConnectionString).GetTableClient(Prefix + StorageNames.JobsTable);

    public static async Task<AppUnderTest> StartAsync(string connectionString, IDictionary<string, string> settings)
    {
        var prefix = "b" + Ids.RandomString(10);
        var (app, counter) = Compose(connectionString, settings, prefix);
        await app.StartAsync();
        // The app answers at once and sets storage up in the background; the bench measures a ready app.
        await app.Services.GetRequiredService<StorageReadiness>().WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var client = ApiClient(address);
        var team = JsonDocument.Parse(await client.GetStringAsync(new Uri("/v1/team", UriKind.Relative)));
        var teamId = team.RootElement.GetProperty("id").GetString() ?? throw new InvalidOperationException("GET /v1/team answered no id.");
        return new AppUnderTest(app, address, prefix, connectionString, counter, teamId, running: true);
    }

    /// <summary>
    /// The same composition on the storage of an app that runs in another process (<paramref name="running"/>), never
    /// started: no engine worker, pollers or sweeper, so it does no delivery work. Its <see cref="Raiser"/> completes
    /// jobs and starts their orchestrations as a second instance's job engine would, and the other process delivers.
    /// </summary>
    public static AppUnderTest ComposeBeside(AppHostReady running, string connectionString, IDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(running);
        var (app, counter) = Compose(connectionString, settings, running.Prefix);
        return new AppUnderTest(app, new Uri(running.BaseAddress), running.Prefix, connectionString, counter, running.TeamId, running: false);
    }

    private static (WebApplication App, StorageOpCounter Counter) Compose(string connectionString, IDictionary<string, string> settings, string prefix)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["environment"] = "Development",
            ["urls"] = "http://127.0.0.1:0",
            ["AzureWebJobsStorage"] = connectionString,
            ["Storage:Prefix"] = prefix,
            ["Dev:ApiKey"] = DevApiKey,
            ["Admin:ApiKey"] = "bench-admin-key",
            // Information would log one line per attempt to the console, which is the console's cost, not the app's.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Delivery:Jitter"] = "0",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        var ports = PortsOf(connectionString);
        var counter = new StorageOpCounter(prefix, new DurableOptions().TaskHubFor(prefix), ports.Table, ports.Queue);
        var builder = WebhooksApp.CreateBuilder(all.Select(p => $"--{p.Key}={p.Value}").ToArray());
        builder.Services.AddSingleton<HttpPipelinePolicy>(counter);
        return (WebhooksApp.Build(builder), counter);
    }

    public static HttpClient ApiClient(Uri baseAddress)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DevApiKey);
        return client;
    }

    /// <summary>Counts delivery rows with the given status (a full query, run only after a measurement ends).</summary>
    public async Task<long> CountDeliveriesAsync(string status, int? attemptsMade = null)
    {
        var filter = $"Status eq '{status}' and RowKey ge 'delivery_' and RowKey lt 'delivery`'" +
            (attemptsMade is { } n ? $" and AttemptsMade eq {n}" : "");
        long count = 0;
        await foreach (var _ in JobsTableForChecks.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey"]))
        {
            count++;
        }
        return count;
    }

    private static (int Table, int Queue) PortsOf(string connectionString)
    {
        int Port(string key)
        {
            var part = connectionString.Split(';').First(p => p.StartsWith(key + "=", StringComparison.Ordinal));
            return new Uri(part[(key.Length + 1)..]).Port;
        }
        return (Port("TableEndpoint"), Port("QueueEndpoint"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_running)
        {
            await App.DisposeAsync();
            return;
        }
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await App.StopAsync(stop.Token);
        await App.DisposeAsync();
    }

    public static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
