using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Events;
using Webhooks.Functions.Tests.Delivery;
using Webhooks.Functions.Tests.Infrastructure;
using Webhooks.Receiver;

namespace Webhooks.Functions.Tests.Interop;

/// <summary>
/// Real deliveries from the product, checked by verifiers we did not write: the npm <c>standardwebhooks</c> and
/// <c>svix</c> packages, the crawl document's TypeScript snippet (which re-serializes the parsed body) and its Python
/// snippet; and received by our own <c>Webhooks.Receiver</c> in one line.
/// </summary>
public sealed class ReceiverInteropTests(ReceiverInteropTests.ShortRetries fixture) : IClassFixture<ReceiverInteropTests.ShortRetries>
{
    /// <summary>Non-ASCII, HTML-looking text, quotes, backslashes and line breaks: in a failed crawl's free-text <c>error</c>.</summary>
    private const string HostileText = "Zürich 東京 🚀 <b>&amp;</b> 'single' \"double\" back\\slash line\nbreak\ttab \u2028";

    private static async Task<RaisedEvent> RaiseHostileAsync(TestApp app, string url)
    {
        var crawlId = Functions.Ids.New("crawl");
        return await DeliveryTestKit.RaiseAsync(app, await DeliveryTestKit.DevTeamIdAsync(app), url,
            EventSamples.CrawlFailedData(crawlId, HostileText, url), crawlId, EventTypes.CrawlFailed);
    }

    private async Task<string> SecretAsync()
    {
        using var client = fixture.App.Client();
        var body = await (await client.GetAsync("/v1/team/signing-secret")).AssertJsonAsync(HttpStatusCode.OK);
        return body.GetProperty("signing_secret").GetString()!;
    }

    [Fact]
    public async Task RealDeliveries_AcceptedByStandardWebhooksSvixAndTheCrawlDocumentSnippets()
    {
        await using var receiver = await WebhookReceiver.StartAsync((n, context) =>
        {
            context.Response.StatusCode = n == 1 ? 500 : 200;
            return Task.CompletedTask;
        });
        var app = fixture.App;
        var raised = await RaiseHostileAsync(app, receiver.Url);
        await DeliveryTestKit.WaitForStatusAsync(app, raised.Deliveries[0], DeliveryStatus.Delivered, TimeSpan.FromSeconds(20));
        var secret = await SecretAsync();

        foreach (var webhook in receiver.Received)
        {
            var input = JsonSerializer.Serialize(new
            {
                secret,
                body = webhook.BodyText,
                id = webhook.Header("webhook-id"),
                timestamp = webhook.Header("webhook-timestamp"),
                signature = webhook.Header("webhook-signature"),
                hexTimestamp = webhook.Header("X-Webhook-Timestamp"),
                hexSignature = webhook.Header("X-Webhook-Signature"),
            });
            Assert.Equal("standardwebhooks ok, svix ok, typescript snippet ok", await RunAsync("node", NodeVerifiers, input));
            Assert.Equal("python snippet ok", await RunAsync("python3", PythonVerifier, input));
        }
        Assert.Equal(2, receiver.Received.Count);
    }

    [Fact]
    public async Task RealDeliveries_ReceivedByMapWebhook_DuplicateRedeliveryHandledOnce()
    {
        var secret = await SecretAsync();
        var handled = new ConcurrentQueue<Receiver.WebhookEnvelope>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var receiverApp = builder.Build();
        // Not a LocalServer: the schema check every test receiver makes is added in front of MapWebhook by hand.
        var deliveries = new DeliveryConformance();
        receiverApp.Use(async (context, next) =>
        {
            await deliveries.CheckAsync(context);
            await next(context);
        });
        receiverApp.MapWebhook("/hooks", (context, _) =>
        {
            handled.Enqueue(context.Envelope);
            return Task.CompletedTask;
        }, options => options.Secrets.Add(secret));
        await receiverApp.StartAsync();
        var url = receiverApp.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hooks";

        var app = fixture.App;
        var raised = await RaiseHostileAsync(app, url);
        var first = await DeliveryTestKit.WaitForStatusAsync(app, raised.Deliveries[0], DeliveryStatus.Delivered);
        Assert.Equal(200, first.LastStatusCode);

        using var client = app.Client();
        var redelivered = await (await client.PostAsync($"/v1/events/{raised.Event.EventId}/redeliver", HttpAssertions.Json("{}")))
            .AssertJsonAsync(HttpStatusCode.Accepted);
        var second = await Eventually.WaitAsync(
            () => DeliveryTestKit.ReadDeliveryAsync(app, new DeliveryEntity { PartitionKey = raised.Event.PartitionKey, RowKey = DeliveryEntity.RowKeyFor(redelivered.GetProperty("id").GetString()!) }),
            d => d.Status == DeliveryStatus.Delivered, what: "the redelivery");

        var attempts = await DeliveryTestKit.ReadAttemptsAsync(app, second);
        Assert.Contains("\"duplicate\":true", attempts.Single().ResponseExcerpt, StringComparison.Ordinal);
        var envelope = Assert.Single(handled);
        Assert.Equal(raised.Event.EventId, envelope.Id);
        Assert.Equal(HostileText, envelope.Data.GetProperty("error").GetString());
        deliveries.AssertConformed();
    }

    private const string NodeVerifiers = """
        const crypto = require('crypto');
        const { Webhook } = require('standardwebhooks');
        const svix = require('svix');
        const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
        new Webhook(input.secret).verify(input.body, { 'webhook-id': input.id, 'webhook-timestamp': input.timestamp, 'webhook-signature': input.signature });
        new svix.Webhook(input.secret).verify(input.body, { 'svix-id': input.id, 'svix-timestamp': input.timestamp, 'svix-signature': input.signature });
        // The crawl document's TypeScript verifier, header names changed: it signs JSON.stringify(req.body).
        function verifyWebhook(payload, signature, timestamp, secret) {
          const signedContent = `${timestamp}.${payload}`;
          const expectedSignature = crypto.createHmac('sha256', secret).update(signedContent).digest('hex');
          return crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expectedSignature));
        }
        if (!verifyWebhook(JSON.stringify(JSON.parse(input.body)), input.hexSignature, input.hexTimestamp, input.secret)) throw new Error('typescript snippet rejected');
        if (Math.abs(Date.now() / 1000 - Number(input.hexTimestamp)) > 300) throw new Error('stale');
        process.stdout.write('standardwebhooks ok, svix ok, typescript snippet ok');
        """;

    private const string PythonVerifier = """
        import hashlib, hmac, json, sys
        def verify_webhook(payload: str, signature: str, timestamp: str, secret: str) -> bool:
            signed_content = f"{timestamp}.{payload}"
            expected = hmac.new(secret.encode(), signed_content.encode(), hashlib.sha256).hexdigest()
            return hmac.compare_digest(signature, expected)
        data = json.loads(sys.stdin.read())
        assert verify_webhook(data["body"], data["hexSignature"], data["hexTimestamp"], data["secret"]), "python snippet rejected"
        sys.stdout.write("python snippet ok")
        """;

    private static Task<string> RunAsync(string program, string script, string stdin) =>
        VerifierScript.RunAsync(program, program == "node" ? "-e" : "-c", script, stdin);

    public sealed class ShortRetries : IAsyncLifetime
    {
        public TestApp App { get; private set; } = null!;

        public async Task InitializeAsync() =>
            App = await TestApp.StartAsync(new Dictionary<string, string?> { ["Delivery:Policies:standard"] = "0s,300ms" });

        public async Task DisposeAsync() => await App.DisposeAsync();
    }
}
