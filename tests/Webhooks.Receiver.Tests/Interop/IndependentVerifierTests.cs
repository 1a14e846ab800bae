using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Webhooks.Receiver.Tests.Support;

namespace Webhooks.Receiver.Tests.Interop;

public sealed class IndependentVerifierTests
{
    // Written as the sender must: compact, UTF-8, non-ASCII and <>&' as themselves, only " and \ escaped.
    private const string TrickyError = """Root URL could not be reached: Zürich – 東京 \"quoted\" it's <b>&</b> 🚀 C:\\path""";

    // How a .NET sender can produce such a body; characters outside the Basic Multilingual Plane (emoji) would still be
    // escaped by this encoder, so the test that uses it leaves them out.
    private static readonly JsonSerializerOptions RelaxedOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    [Fact]
    public async Task VerifyAsync_DeliverySignedWithLibraryPrimitives_AcceptedByEveryIndependentVerifier()
    {
        var delivery = NewDelivery(TrickyBody(), TestSecrets.Current);

        var report = await NodeVerifiers.VerifyAsync(delivery.Body, delivery.Headers, TestSecrets.Current);

        Assert.True(report.RoundTrip, "JSON.stringify(JSON.parse(body)) !== body");
        Assert.All(report.Verifiers, v => Assert.True(v.Value.Ok, $"{v.Key}: {v.Value.Error}"));
        Assert.Equal(
            """Root URL could not be reached: Zürich – 東京 "quoted" it's <b>&</b> 🚀 C:\path""",
            WebhookEnvelope.Parse(delivery.BodyBytes).GetCrawl().Error);
    }

    [Fact]
    public async Task VerifyAsync_TamperedBody_RejectedByEveryIndependentVerifier()
    {
        var delivery = NewDelivery(TrickyBody(), TestSecrets.Current);
        var tampered = delivery.Body.Replace("東京", "大阪", StringComparison.Ordinal);

        var report = await NodeVerifiers.VerifyAsync(tampered, delivery.Headers, TestSecrets.Current);

        Assert.All(report.Verifiers, v => Assert.False(v.Value.Ok, $"{v.Key} accepted a tampered body"));
    }

    [Fact]
    public async Task VerifyAsync_WrongSecret_RejectedByEveryIndependentVerifier()
    {
        var delivery = NewDelivery(TrickyBody(), TestSecrets.Current);

        var report = await NodeVerifiers.VerifyAsync(delivery.Body, delivery.Headers, TestSecrets.Unrelated);

        Assert.All(report.Verifiers, v => Assert.False(v.Value.Ok, $"{v.Key} accepted a wrong secret"));
    }

    [Fact]
    public async Task VerifyAsync_RotationSignedWithBothSecrets_StandardVerifiersAcceptPreviousSecret()
    {
        var delivery = NewDelivery(TrickyBody(), TestSecrets.Current, TestSecrets.Previous);

        var report = await NodeVerifiers.VerifyAsync(delivery.Body, delivery.Headers, TestSecrets.Previous);

        Assert.True(report.StandardWebhooks.Ok, report.StandardWebhooks.Error);
        Assert.True(report.Svix.Ok, report.Svix.Error);
        // X-Webhook-Signature carries only the newest secret's signature, as the specification says.
        Assert.False(report.CrawlDocumentPython.Ok);
    }

    [Fact]
    public async Task VerifyAsync_BodyFromSystemTextJsonWithRelaxedEscaping_RoundTripsAndVerifies()
    {
        var eventId = TestEnvelopes.NewEventId();
        var body = JsonSerializer.Serialize(
            new
            {
                Id = eventId,
                Object = WebhookEventTypes.Ping,
                Timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(),
                DeliveryAttempt = "1/1",
                Data = new { Message = "Grüße aus Köln – 東京 \"quoted\" it's <b>&</b>" },
            },
            RelaxedOptions);
        var delivery = SignedDelivery.Create(body, eventId, TimeProvider.System.GetUtcNow(), TestSecrets.Current);

        var report = await NodeVerifiers.VerifyAsync(delivery.Body, delivery.Headers, TestSecrets.Current);

        Assert.True(report.RoundTrip, body);
        Assert.All(report.Verifiers, v => Assert.True(v.Value.Ok, $"{v.Key}: {v.Value.Error}"));
    }

    [Fact]
    public async Task VerifyAsync_EmojiEscapedBySystemTextJson_BreaksTheCrawlDocumentTypeScriptVerifierOnly()
    {
        // A sender must write supplementary-plane characters as themselves; the relaxed encoder does not.
        var eventId = TestEnvelopes.NewEventId();
        var body = JsonSerializer.Serialize(
            new
            {
                Id = eventId,
                Object = WebhookEventTypes.Ping,
                Timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(),
                DeliveryAttempt = "1/1",
                Data = new { Message = "launch 🚀" },
            },
            RelaxedOptions);
        var delivery = SignedDelivery.Create(body, eventId, TimeProvider.System.GetUtcNow(), TestSecrets.Current);

        var report = await NodeVerifiers.VerifyAsync(delivery.Body, delivery.Headers, TestSecrets.Current);

        Assert.Contains("\\uD83D", body, StringComparison.OrdinalIgnoreCase);
        Assert.False(report.RoundTrip);
        Assert.False(report.CrawlDocumentTypeScript.Ok);
        Assert.True(report.StandardWebhooks.Ok, report.StandardWebhooks.Error);
        Assert.True(report.Svix.Ok, report.Svix.Error);
        Assert.True(report.CrawlDocumentPython.Ok);
    }

    private static string TrickyBody()
    {
        var eventId = TestEnvelopes.NewEventId();
        var sentAt = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        return $$$"""{"id":"{{{eventId}}}","object":"event.crawl.failed","timestamp":{{{sentAt}}},"delivery_attempt":"1/4","data":{"id":"crawl_q1w2e3r4t5y6u7i8","object":"crawl","status":"failed","start_url":"https://example.com/?a=1&b=<2>","urls_count":0,"pages_failed":1,"max_pages":10,"max_depth":null,"actual_max_depth":0,"start_epoch":{{{sentAt - 5000}}},"start_date":"2025-01-22","completed_at":"2025-01-22T18:20:00Z","error":"{{{TrickyError}}}","webhook":"https://receiver.example/hooks"}}""";
    }

    // The independent verifiers read the real clock, so the delivery is signed with it.
    private static SignedDelivery NewDelivery(string body, params string[] secrets)
    {
        var eventId = JsonDocument.Parse(Encoding.UTF8.GetBytes(body)).RootElement.GetProperty("id").GetString()!;
        return SignedDelivery.Create(body, eventId, TimeProvider.System.GetUtcNow(), secrets);
    }
}
