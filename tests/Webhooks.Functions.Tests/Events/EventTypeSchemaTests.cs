using System.Text.Json.Nodes;
using Webhooks.Functions.Events;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Events;

/// <summary>
/// The repository's schemas/ (SPEC §11): one per event type and no other, each a valid draft 2020-12 schema, a real
/// sample of each type conforms and a broken one does not. The receivers of every other test hold what the product
/// really delivers to the same schemas (<see cref="DeliveryConformance"/>).
/// </summary>
public sealed class EventTypeSchemaTests
{
    public static TheoryData<string> Types() => new(EventTypes.All);

    [Fact]
    public void SchemasFolder_OneFilePerEventType_AndNoOther()
    {
        var files = Directory.GetFiles(EventSchemas.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(EventTypes.All.Select(EventTypeCatalog.SchemaFileName).Order(StringComparer.Ordinal), files);
        Assert.Equal(EventTypes.All.Length, EventTypes.All.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void ReceiverLibrary_NamesEveryEventType()
    {
        var named = typeof(Webhooks.Receiver.WebhookEventTypes).GetFields()
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal);

        Assert.Equal(EventTypes.All.Order(StringComparer.Ordinal), named);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Schema_OfEachType_IsValidDraft202012WithIdTitleAndDescription(string eventType)
    {
        var text = File.ReadAllText(Path.Combine(EventSchemas.Folder, EventTypeCatalog.SchemaFileName(eventType)));
        var schema = JsonNode.Parse(text)!.AsObject();

        Assert.Empty(EventSchemas.MetaSchemaViolations(schema));
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)schema["$schema"]);
        Assert.Equal("urn:webhooks-functions:schema:" + eventType, (string?)schema["$id"]);
        Assert.Equal(eventType, (string?)schema["title"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)schema["description"]));
        Assert.Equal(eventType, (string?)schema["properties"]!["object"]!["const"]);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Sample_OfEachType_Conforms(string eventType)
    {
        Assert.Empty(EventSchemas.Violations(EventSchemas.ByType[eventType], EventSamples.Envelope(eventType)));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Sample_WithAFieldOfDataMissing_DoesNotConform(string eventType)
    {
        var envelope = EventSamples.Envelope(eventType);
        var data = envelope["data"]!.AsObject();
        foreach (var field in data.Select(p => p.Key).ToList())
        {
            var broken = envelope.DeepClone().AsObject();
            broken["data"]!.AsObject().Remove(field);

            Assert.NotEmpty(EventSchemas.Violations(EventSchemas.ByType[eventType], broken));
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Sample_WithAnExtraProperty_DoesNotConform(string eventType)
    {
        var inData = EventSamples.Envelope(eventType);
        inData["data"]!.AsObject()["extra"] = 1;
        var inEnvelope = EventSamples.Envelope(eventType);
        inEnvelope["extra"] = 1;

        Assert.NotEmpty(EventSchemas.Violations(EventSchemas.ByType[eventType], inData));
        Assert.NotEmpty(EventSchemas.Violations(EventSchemas.ByType[eventType], inEnvelope));
    }

    [Theory]
    [InlineData("id", "event_A1B2C3D4E5F6G7H8")]
    [InlineData("id", "event_a1b2c3")]
    [InlineData("id", "evt_a1b2c3d4e5f6g7h8")]
    [InlineData("delivery_attempt", "0/5")]
    [InlineData("delivery_attempt", "1of5")]
    [InlineData("object", "event.crawl.completed")]
    public void Envelope_WithAWrongValue_DoesNotConform(string field, string value)
    {
        foreach (var eventType in EventTypes.All.Where(t => t != value))
        {
            var envelope = EventSamples.Envelope(eventType);
            envelope[field] = value;

            Assert.NotEmpty(EventSchemas.Violations(EventSchemas.ByType[eventType], envelope));
        }
    }

    [Fact]
    public void Envelope_WithAFloatOrTextTimestamp_DoesNotConform()
    {
        var floating = EventSamples.Envelope(EventTypes.BatchCompleted);
        floating["timestamp"] = 1764669932000.5;
        var text = EventSamples.Envelope(EventTypes.BatchCompleted);
        text["timestamp"] = "1764669932000";

        Assert.NotEmpty(EventSchemas.Violations(EventSchemas.ByType[EventTypes.BatchCompleted], floating));
        Assert.NotEmpty(EventSchemas.Violations(EventSchemas.ByType[EventTypes.BatchCompleted], text));
    }

    [Theory]
    [InlineData(EventTypes.BatchCompleted, "id", "batch_x")]
    [InlineData(EventTypes.BatchCompleted, "status", "in_progress")]
    [InlineData(EventTypes.BatchCompleted, "completed_at", "2026-12-02 10:05:32")]
    [InlineData(EventTypes.CrawlCompleted, "status", "failed")]
    [InlineData(EventTypes.CrawlFailed, "error", null)]
    [InlineData(EventTypes.Ping, "team_id", "dev")]
    [InlineData(EventTypes.EndpointFailing, "health", null)]
    public void Data_WithAWrongValue_DoesNotConform(string eventType, string field, string? value)
    {
        var envelope = EventSamples.Envelope(eventType);
        envelope["data"]![field] = value;

        Assert.NotEmpty(EventSchemas.Violations(EventSchemas.ByType[eventType], envelope));
    }

    [Theory]
    [InlineData("id", "endpoint_a1b2c3d4e5f6g7h8")]
    [InlineData("status", "paused")]
    [InlineData("event_types", "event.batch.completed")]
    [InlineData("rate_limit_per_s", "10")]
    public void EndpointObject_WithAWrongValue_DoesNotConform(string field, string value)
    {
        foreach (var eventType in new[] { EventTypes.EndpointFailing, EventTypes.EndpointDisabled })
        {
            var envelope = EventSamples.Envelope(eventType);
            envelope["data"]!["endpoint"]![field] = value;

            Assert.NotEmpty(EventSchemas.Violations(EventSchemas.ByType[eventType], envelope));
        }
    }

    [Theory]
    [InlineData("window", "1 day")]
    [InlineData("window", "P")]
    [InlineData("attempts", "20")]
    [InlineData("last_success_at", "yesterday")]
    public void HealthObject_WithAWrongValue_DoesNotConform(string field, string value)
    {
        var envelope = EventSamples.Envelope(EventTypes.EndpointFailing);
        envelope["data"]!["health"]![field] = value;

        Assert.NotEmpty(EventSchemas.Violations(EventSchemas.ByType[EventTypes.EndpointFailing], envelope));
    }

    [Theory]
    [InlineData("status", "delivered")]
    [InlineData("status", "parked")]
    [InlineData("endpoint_id", "ep_short")]
    [InlineData("event_type", "event.unknown")]
    [InlineData("extra", "1")]
    public void ExhaustedDelivery_WithAWrongValue_DoesNotConform(string field, string value)
    {
        var envelope = EventSamples.Envelope(EventTypes.DeliveryExhausted);
        envelope["data"]!["delivery"]![field] = value;

        Assert.NotEmpty(EventSchemas.Violations(EventSchemas.ByType[EventTypes.DeliveryExhausted], envelope));
    }

    [Fact]
    public void ExhaustedDelivery_OfAJobWebhook_HasANullEndpointId()
    {
        var envelope = EventSamples.Envelope(EventTypes.DeliveryExhausted);
        envelope["data"]!["delivery"]!["endpoint_id"] = null;

        Assert.Empty(EventSchemas.Violations(EventSchemas.ByType[EventTypes.DeliveryExhausted], envelope));
    }

    [Fact]
    public void Delivery_WhoseHeaderAndObjectDisagree_IsAViolation()
    {
        var body = System.Text.Encoding.UTF8.GetBytes(EventSamples.Envelope(EventTypes.Ping).ToJsonString());

        Assert.Empty(EventSchemas.ViolationsOfDelivery(EventTypes.Ping, body));
        Assert.Empty(EventSchemas.ViolationsOfDelivery(null, body));
        Assert.NotEmpty(EventSchemas.ViolationsOfDelivery(EventTypes.BatchCompleted, body));
        Assert.NotEmpty(EventSchemas.ViolationsOfDelivery("event.unknown", body));
        Assert.NotEmpty(EventSchemas.ViolationsOfDelivery(EventTypes.Ping, "not json"u8.ToArray()));
    }
}
