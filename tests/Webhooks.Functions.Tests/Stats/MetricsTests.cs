using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Tests.Delivery;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Stats;

/// <summary>
/// SPEC §14's OpenTelemetry metrics leaving the app: Prometheus text at <c>GET /metrics</c> behind the admin key, and
/// OTLP (HTTP/protobuf) to the endpoint the standard <c>OTEL_EXPORTER_OTLP_*</c> settings name. The counts themselves
/// are checked across two processes in <see cref="Reliability.StatsScaleOutTests"/>, where each process's meter is its own.
/// </summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_BehindTheAdminKey_PrometheusTextOfTheDeliveryInstruments()
    {
        await using var app = await TestApp.StartAsync(StatsKit.OneAttemptEach());
        await using var receiver = await StatsKit.MixedReceiverAsync();
        await StatsKit.WaitForEndAsync(app, await DeliveryTestKit.RaiseAsync(app, await DeliveryTestKit.DevTeamIdAsync(app), receiver.Url("/hooks/ok")));

        using (var anonymous = app.Client(apiKey: null))
        {
            var refused = await anonymous.GetAsync("/metrics");
            await refused.AssertProblemAsync(HttpStatusCode.Unauthorized);
            Assert.Contains(refused.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        }
        using (var team = app.Client())
        {
            await (await team.GetAsync("/metrics")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }
        using var admin = app.Client(TestApp.AdminKey);
        var scraped = await admin.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Equal("text/plain", scraped.Content.Headers.ContentType?.MediaType);
        var text = await scraped.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE webhooks_attempts_total counter", text, StringComparison.Ordinal);
        Assert.Contains("webhooks_attempt_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("webhooks_delivery_latency_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains(PrometheusText.Samples(text, "webhooks_attempts_total"), s => s.Labels["outcome"] == AttemptOutcome.Delivered
            && s.Labels["status_class"] == "2xx" && s.Labels["event_type"] == "event.batch.completed" && s.Value >= 1);
    }

    [Fact]
    public async Task Metrics_NoAdminKeyConfigured_DoesNotExist()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Admin:ApiKey"] = null });
        using var client = app.Client(TestApp.AdminKey);
        await (await client.GetAsync("/metrics")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Otlp_EndpointConfigured_ReceivesTheDeliveryMetrics()
    {
        var posts = new ConcurrentQueue<(string Path, string ContentType, byte[] Body)>();
        await using var collector = await LocalServer.StartAsync(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            posts.Enqueue((context.Request.Path.Value ?? "", context.Request.ContentType ?? "", body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
        });
        var settings = StatsKit.OneAttemptEach();
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseAddress.ToString().TrimEnd('/');
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        settings["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        await using var app = await TestApp.StartAsync(settings);
        await using var receiver = await StatsKit.MixedReceiverAsync();
        await StatsKit.WaitForEndAsync(app, await DeliveryTestKit.RaiseAsync(app, await DeliveryTestKit.DevTeamIdAsync(app), receiver.Url("/hooks/ok")));

        string[] names = [DeliveryMetrics.AttemptsName, DeliveryMetrics.AttemptDurationName, DeliveryMetrics.DeliveryLatencyName];
        var exported = await Eventually.WaitAsync(() => Task.FromResult(posts.Where(p => p.Path == "/v1/metrics").ToList()),
            metrics => names.All(name => metrics.Any(p => Contains(p.Body, name))), TimeSpan.FromSeconds(30), "the delivery metrics to reach the collector");
        Assert.All(exported, p => Assert.Equal("application/x-protobuf", MediaTypeHeaderValue.Parse(p.ContentType).MediaType));
    }

    /// <summary>A metric's name is a protobuf string field: its UTF-8 bytes appear as they are.</summary>
    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
