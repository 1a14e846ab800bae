using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Webhooks.Bench.Infrastructure;
using Webhooks.Bench.Receiver;
using Webhooks.Bench.Worker;

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
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(clients);
        var seconds = Clock.SecondsSince(started);
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
        };
    }
}
