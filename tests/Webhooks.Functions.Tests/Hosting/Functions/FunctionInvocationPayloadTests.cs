using System.Text.Json;
using Webhooks.Functions.Hosting;

namespace Webhooks.Functions.Tests.Hosting.Functions;

/// <summary>Reading the host's invocation body, on the payloads docs/functions-host-contract.md records.</summary>
public sealed class FunctionInvocationPayloadTests
{
    [Fact]
    public void ReadQueueWork_ContractDocumentsSample_DecodesMessageAndMetadata()
    {
        var work = Read("""
            {
              "Data": { "message": "\"{\\\"deliveryId\\\":\\\"d_1\\\",\\\"attempt\\\":2}\"" },
              "Metadata": {
                "DequeueCount": "1",
                "ExpirationTime": "2025-11-30T10:15:02+00:00",
                "Id": "\"6f1c2a9e-5b0d-4a43-9a43-7c1d9f0e2b11\"",
                "InsertionTime": "2025-11-23T10:15:02+00:00",
                "NextVisibleTime": "2025-11-23T10:25:03+00:00",
                "PopReceipt": "\"AgAAAAMAAAAAAAAAr3D1f7Zc3AE=\"",
                "deliveryId": "\"d_1\"",
                "attempt": "\"2\"",
                "sys": { "MethodName": "deliveries", "UtcNow": "2025-11-23T10:15:03.1234567Z", "RandGuid": "9d2b7c44-1e0f-4c1a-8a51-0e6f7a3b2c19" }
              }
            }
            """);

        Assert.Equal("""{"deliveryId":"d_1","attempt":2}""", work.MessageText);
        Assert.Equal(1, work.DequeueCount);
        Assert.Equal("6f1c2a9e-5b0d-4a43-9a43-7c1d9f0e2b11", work.MessageId);
    }

    [Fact]
    public void ReadQueueWork_SingleEncodedAsTheDocumentationShows_ReadsTheSameMessage()
    {
        var work = Read("""{"Data":{"message":"{\"deliveries\":[]}"},"Metadata":{"DequeueCount":4,"Id":"abc"}}""");

        Assert.Equal("""{"deliveries":[]}""", work.MessageText);
        Assert.Equal(4, work.DequeueCount);
        Assert.Equal("abc", work.MessageId);
    }

    [Fact]
    public void ReadQueueWork_MessageFieldsMergedIntoMetadata_AreIgnored()
    {
        // The host lets a JSON message's properties override built-in keys; the message itself comes from Data only.
        var work = Read("""{"Data":{"message":"\"{\\\"id\\\":\\\"x\\\"}\""},"Metadata":{"DequeueCount":"2","id":"\"x\"","sys":{}}}""");

        Assert.Equal("""{"id":"x"}""", work.MessageText);
        Assert.Equal(2, work.DequeueCount);
    }

    [Fact]
    public void ReadQueueWork_MessageAsObject_UsesItsJson()
    {
        var work = Read("""{"Data":{"message":{"deliveries":[]}}}""");

        Assert.Equal("""{"deliveries":[]}""", work.MessageText);
        Assert.Equal(1, work.DequeueCount);
        Assert.Null(work.MessageId);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("{}")]
    [InlineData("""{"Data":"x"}""")]
    [InlineData("""{"Data":{}}""")]
    [InlineData("""{"Data":{"message":null}}""")]
    [InlineData("""{"Data":{"message":[1]}}""")]
    [InlineData("""{"Data":{"message":"{}"},"Metadata":[]}""")]
    [InlineData("""{"Data":{"message":"{}"},"Metadata":{"DequeueCount":"-1"}}""")]
    [InlineData("""{"Data":{"message":"{}"},"Metadata":{"DequeueCount":true}}""")]
    public void ReadQueueWork_Malformed_ThrowsFormatException(string json)
    {
        Assert.Throws<FormatException>(() => Read(json));
    }

    [Theory]
    [InlineData("\"\\\"\\\\\\\"{}\\\\\\\"\\\"\"", "{}")]
    [InlineData("\"{}\"", "{}")]
    [InlineData("{}", "{}")]
    [InlineData("\"unterminated", "\"unterminated")]
    [InlineData("\"a\" and more", "\"a\" and more")]
    [InlineData("plain text", "plain text")]
    public void Unwrap_DecodesStringLiteralsUntilTheTextIsNoLongerOne(string text, string expected)
    {
        Assert.Equal(expected, FunctionInvocationPayload.Unwrap(text));
    }

    [Theory]
    [InlineData("""{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":true}},"Metadata":{}}""", true)]
    [InlineData("""{"Data":{"timer":{"IsPastDue":false}}}""", false)]
    [InlineData("""{"Data":{}}""", null)]
    [InlineData("""{}""", null)]
    public void ReadTimerPastDue_ReadsIsPastDue(string json, bool? expected)
    {
        using var body = JsonDocument.Parse(json);

        Assert.Equal(expected, FunctionInvocationPayload.ReadTimerPastDue(body.RootElement));
    }

    private static QueueWork Read(string json)
    {
        using var body = JsonDocument.Parse(json);
        return FunctionInvocationPayload.ReadQueueWork(body.RootElement);
    }
}
