using System.Text;
using System.Text.Json;
using Webhooks.Receiver.Tests.Support;

namespace Webhooks.Receiver.Tests.Envelope;

public sealed class WebhookEnvelopeTests
{
    [Fact]
    public void Parse_BatchCompletedBody_ReadsEnvelopeAndBatch()
    {
        var envelope = WebhookEnvelope.Parse(Encoding.UTF8.GetBytes(TestEnvelopes.Batch("event_a1b2c3d4e5f6g7h8")));
        var batch = envelope.GetBatch();

        Assert.Equal("event_a1b2c3d4e5f6g7h8", envelope.Id);
        Assert.Equal(WebhookEventTypes.BatchCompleted, envelope.EventType);
        Assert.Equal("1/5", envelope.DeliveryAttempt);
        Assert.Equal(new DateTimeOffset(2025, 1, 22, 18, 20, 0, TimeSpan.Zero), envelope.SentAt);
        Assert.Equal("batch_k2j4h6g8f0d1s3a5", batch.Id);
        Assert.Equal("batch", batch.ObjectType);
        Assert.Equal("completed", batch.Status);
        Assert.Equal((3, 2, 1), (batch.ItemsTotal, batch.ItemsCompleted, batch.ItemsFailed));
        Assert.Equal(new DateTimeOffset(2025, 1, 22, 18, 19, 30, TimeSpan.Zero), batch.CreatedAt);
        Assert.Equal(new DateTimeOffset(2025, 1, 22, 18, 20, 0, TimeSpan.Zero), batch.CompletedAt);
        Assert.Equal("https://receiver.example/hooks", batch.Webhook);
    }

    [Fact]
    public void Parse_CrawlFailedBody_ReadsCrawlWithError()
    {
        var envelope = WebhookEnvelope.Parse(Encoding.UTF8.GetBytes(TestEnvelopes.CrawlFailed("event_q9w8e7r6t5y4u3i2")));
        var crawl = envelope.GetCrawl();

        Assert.Equal(WebhookEventTypes.CrawlFailed, envelope.EventType);
        Assert.Equal("failed", crawl.Status);
        Assert.Equal("https://example.com/", crawl.StartUrl);
        Assert.Null(crawl.MaxDepth);
        Assert.Equal(10, crawl.MaxPages);
        Assert.Equal(1737569990000, crawl.StartEpoch);
        Assert.Equal(new DateOnly(2025, 1, 22), crawl.StartDate);
        Assert.Equal("Root URL returned 403 Forbidden", crawl.Error);
        Assert.Null(crawl.Webhook);
    }

    [Fact]
    public void Parse_PingBody_KeepsDataLooselyTyped()
    {
        const string body = """{"id":"event_p1n2g3p4i5n6g7a8","object":"event.ping","timestamp":1737570000000,"delivery_attempt":"1/1","data":{"message":"ping","extra":[1,2]}}""";

        var envelope = WebhookEnvelope.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Equal(WebhookEventTypes.Ping, envelope.EventType);
        Assert.Equal("ping", envelope.Data.GetProperty("message").GetString());
        Assert.Equal(2, envelope.Data.GetProperty("extra").GetArrayLength());
    }

    [Fact]
    public void GetCrawl_BatchEvent_ThrowsInvalidOperation()
    {
        var envelope = WebhookEnvelope.Parse(Encoding.UTF8.GetBytes(TestEnvelopes.Batch("event_a1b2c3d4e5f6g7h8")));

        Assert.Throws<InvalidOperationException>(envelope.GetCrawl);
    }

    [Fact]
    public void GetBatch_DataMissingRequiredField_ThrowsJsonException()
    {
        const string body = """{"id":"event_a1b2c3d4e5f6g7h8","object":"event.batch.completed","timestamp":1737570000000,"delivery_attempt":"1/5","data":{"id":"batch_k2j4h6g8f0d1s3a5","object":"batch"}}""";
        var envelope = WebhookEnvelope.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Throws<JsonException>(envelope.GetBatch);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("""{"hello":"world"}""")]
    [InlineData("""{"object":"event.ping","timestamp":1737570000000,"delivery_attempt":"1/1","data":{}}""")]
    [InlineData("""{"id":"","object":"event.ping","timestamp":1737570000000,"delivery_attempt":"1/1","data":{}}""")]
    [InlineData("""{"id":"event_x","object":"event.ping","timestamp":"1737570000000","delivery_attempt":"1/1","data":{}}""")]
    [InlineData("""{"id":"event_x","object":"event.ping","timestamp":-5,"delivery_attempt":"1/1","data":{}}""")]
    [InlineData("""{"id":"event_x","object":"event.ping","timestamp":1737570000000,"delivery_attempt":"1/1","data":"text"}""")]
    [InlineData("""{"id":"event_x","object":"event.ping","timestamp":1737570000000,"delivery_attempt":"1/1"}""")]
    public void TryParse_NotAnEnvelope_ReturnsFalseWithReason(string body)
    {
        var parsed = WebhookEnvelope.TryParse(Encoding.UTF8.GetBytes(body), out var envelope, out var error);

        Assert.False(parsed);
        Assert.Null(envelope);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Parse_NotAnEnvelope_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => WebhookEnvelope.Parse("{}"u8));
    }
}
