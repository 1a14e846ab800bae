using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Webhooks.Bench.Infrastructure;
using Webhooks.Bench.Receiver;
using Webhooks.Bench.Worker;
using Webhooks.Functions.Storage;

namespace Webhooks.Bench.Scenarios;

/// <summary>
/// The reliability suite's load figure: 64 concurrent API clients creating small batch jobs closed-loop for a fixed
/// time, through the HTTP API with the dev key. Reports every status class (a 5xx is a failure of the product),
/// and the latency of the create calls. The per-team rate limit is raised for the run: it is a policy, and this
/// measures what the API can take.
/// </summary>
internal static class ApiLoadScenario
{
    public const string Name = "api-load";

    public static async Task<JsonObject> RunAsync(WorkerInput input, CancellationToken cancellationToken)
    {
        using var receiver = new ReceiverClient(input.Receiver);
        await receiver.SetModeAsync(ReceiverMode.Ok);
        await using var app = await AppUnderTest.StartAsync(input.AzuriteConnection, new Dictionary<string, string>
        {
            ["RateLimit:PermitsPerSecond"] = "100000",
            ["RateLimit:Burst"] = "100000",
        });
        using var api = AppUnderTest.ApiClient(app.BaseAddress);
        var site = input.Receiver.Site;
        var webhook = input.Receiver.HookUrls[0];

        WorkerHost.Progress($"api-load: {input.Concurrency} clients for {input.LoadSeconds:0} s");
        var latencies = new ConcurrentBag<double>();
        var statuses = new ConcurrentDictionary<int, int>();
        var errors = 0;
        var failures = new ConcurrentBag<string>();
        var started = Clock.Now;
        var clients = Enumerable.Range(0, input.Concurrency).Select(client => Task.Run(async () =>
        {
            for (var i = 0; Clock.SecondsSince(started) < input.LoadSeconds && !cancellationToken.IsCancellationRequested; i++)
            {
                var body = new
                {
                    items = Enumerable.Range(0, 1 + (i % 3)).Select(n => new { url = new Uri(site, $"page/{client}-{i}-{n}").ToString() }),
                    webhook,
                };
                var sent = Clock.Now;
                try
                {
                    using var response = await api.PostAsync(new Uri("/v1/batches", UriKind.Relative), JsonContent.Create(body), cancellationToken);
                    latencies.Add(Clock.Milliseconds(sent, Clock.Now));
                    statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"{(int)response.StatusCode} sent at {Clock.Seconds(started, sent):0.0}s, answered after {Clock.Milliseconds(sent, Clock.Now):0} ms");
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }, cancellationToken)).ToArray();
        using var probing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var probe = ProbeStorageAsync(app, started, probing.Token);
        await Task.WhenAll(clients);
        var seconds = Clock.SecondsSince(started);
        await probing.CancelAsync();
        var probes = await probe;
        var total = statuses.Values.Sum();
        return new JsonObject
        {
            ["clients"] = input.Concurrency,
            ["seconds"] = Math.Round(seconds, 1),
            ["requests"] = total,
            ["requests_per_s"] = Math.Round(total / seconds, 1),
            ["status_2xx"] = statuses.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value),
            ["status_4xx"] = statuses.Where(s => s.Key is >= 400 and < 500).Sum(s => s.Value),
            ["status_5xx"] = statuses.Where(s => s.Key >= 500).Sum(s => s.Value),
            ["transport_errors"] = errors,
            ["latency"] = Percentiles.Summary(latencies, "ms"),
            ["storage_probe"] = probes,
            ["server_errors"] = new JsonArray(failures.Order(StringComparer.Ordinal).Select(f => (JsonNode)f).ToArray()),
        };
    }

    /// <summary>
    /// Diagnostic beside the load, through clients of its own with no retries: a table read, a one-row transaction and a
    /// queue send + delete every 250 ms, and both queues' depth every second. A storage stall shows as a slow probe with
    /// the time it began (a probe still waiting when the load ends counts too), and a backlog as a growing depth.
    /// </summary>
    private static async Task<JsonObject> ProbeStorageAsync(AppUnderTest app, long started, CancellationToken cancellationToken)
    {
        var tableOptions = new TableClientOptions();
        var queueOptions = new QueueClientOptions();
        foreach (var options in new Azure.Core.ClientOptions[] { tableOptions, queueOptions })
        {
            options.Retry.MaxRetries = 0;
            options.Retry.NetworkTimeout = TimeSpan.FromSeconds(120);
        }
        var table = new TableServiceClient(app.ConnectionString, tableOptions).GetTableClient(app.Prefix + StorageNames.JobsTable);
        var queues = new QueueServiceClient(app.ConnectionString, queueOptions);
        var probeQueue = queues.GetQueueClient(app.Prefix + "probe");
        await probeQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        (string Kind, Func<Task> Run)[] probes =
        [
            ("read", () => table.GetEntityIfExistsAsync<TableEntity>("probe", "probe", cancellationToken: cancellationToken)),
            ("transaction", () => table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("probe", "probe"))], cancellationToken)),
            ("queue send+delete", async () =>
            {
                var sent = await probeQueue.SendMessageAsync("probe", cancellationToken);
                await probeQueue.DeleteMessageAsync(sent.Value.MessageId, sent.Value.PopReceipt, cancellationToken);
            }),
        ];
        var latencies = new List<double>();
        var slow = new JsonArray();
        var depths = new JsonArray();
        var lastDepth = Clock.Now;
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var (kind, run) in probes)
            {
                var sent = Clock.Now;
                var finished = true;
                try
                {
                    await run();
                }
                catch (OperationCanceledException)
                {
                    finished = false;
                }
                var ms = Clock.Milliseconds(sent, Clock.Now);
                latencies.Add(ms);
                if (ms > 1000)
                {
                    slow.Add($"{kind} at {Clock.Seconds(started, sent):0.0}s: {ms:0} ms{(finished ? "" : ", still waiting when the load ended")}");
                }
                if (!finished)
                {
                    break;
                }
            }
            if (Clock.SecondsSince(lastDepth) >= 1 && !cancellationToken.IsCancellationRequested)
            {
                lastDepth = Clock.Now;
                try
                {
                    var jobs = (await queues.GetQueueClient(app.Prefix + StorageNames.JobsQueue).GetPropertiesAsync(cancellationToken)).Value;
                    depths.Add($"{Clock.SecondsSince(started):0}s: jobs {jobs.ApproximateMessagesCount}");
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            try
            {
                await Task.Delay(250, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return new JsonObject
        {
            ["latency"] = Percentiles.Summary(latencies, "ms"),
            ["over_1s"] = slow,
            ["queue_depths"] = depths,
        };
    }
}
