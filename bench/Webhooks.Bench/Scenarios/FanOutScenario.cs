using System.Text.Json.Nodes;
using Webhooks.Bench.Receiver;
using Webhooks.Bench.Worker;

namespace Webhooks.Bench.Scenarios;

/// <summary>
/// Issue 15's fan-out: one event to ten endpoints. The team registers ten endpoints (the receiver's first ten ports)
/// and events name no webhook, so each raise commits one event with ten deliveries and starts ten orchestrations.
/// Measured like the throughput scenario's product path (same in-flight deliveries, warm-up and window), so its
/// deliveries/s and storage operations per delivery sit beside the single-endpoint figures.
/// </summary>
internal static class FanOutScenario
{
    public const string Name = "fanout";
    public const int Endpoints = 10;

    public static async Task<JsonObject> RunAsync(WorkerInput input, CancellationToken cancellationToken)
    {
        using var receiver = new ReceiverClient(input.Receiver);
        await receiver.SetModeAsync(ReceiverMode.Ok);
        await using var app = await AppUnderTest.StartAsync(input.AzuriteConnection, new Dictionary<string, string>
        {
            ["Delivery:AttemptTimeout"] = "00:00:02",
        });
        using (var client = AppUnderTest.ApiClient(app.BaseAddress))
        {
            for (var i = 0; i < Endpoints; i++)
            {
                var url = input.Receiver.HookUrls[i % input.Receiver.HookUrls.Count];
                using var created = await client.PostAsJsonAsync(new Uri("/v1/endpoints", UriKind.Relative), new { url }, cancellationToken);
                created.EnsureSuccessStatusCode();
            }
        }
        var driver = new EventDriver(app, [], fanOut: Endpoints);
        var measured = await ThroughputScenario.MeasureProductPathAsync(app, driver, receiver, input, Name, cancellationToken);
        measured["fan_out"] = Endpoints;
        return measured;
    }
}
