using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// An Azure SDK pipeline policy that records every storage request the app makes (method, service, path), so a test
/// can count the operations of one path. Queue receives that find nothing are left out: they are a poller idling.
/// </summary>
public sealed class StorageOperationCounter : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<string> _operations = new();

    public bool Recording { get; set; }

    public IReadOnlyList<string> Operations => _operations.ToArray();

    public void Reset() => _operations.Clear();

    /// <summary>
    /// Whether a recorded operation is the Durable engine managing its partitions (the task hub's Partitions table and
    /// lease blobs): it runs on timers of its own, deliveries or not, so a test counting one path's cost leaves it out.
    /// </summary>
    public static bool IsPartitionManagement(string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return operation.Contains("webhooksPartitions", StringComparison.Ordinal) || operation.Contains("-leases", StringComparison.Ordinal);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ProcessNext(message, pipeline);
        Record(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline);
        Record(message);
    }

    /// <summary>A table transaction posts to /$batch; the tables it touches are named inside its multipart body.</summary>
    private static string BatchTarget(HttpMessage message)
    {
        if (!message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) || message.Request.Content is null)
        {
            return "";
        }
        using var buffer = new MemoryStream();
        message.Request.Content.WriteTo(buffer, CancellationToken.None);
        var body = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        var match = System.Text.RegularExpressions.Regex.Match(body, @"/devstoreaccount1/([a-z0-9]+)[( ?]");
        return match.Success ? "table=" + match.Groups[1].Value : "";
    }

    private void Record(HttpMessage message)
    {
        var uri = message.Request.Uri.ToUri();
        // A receive that found nothing is idling; one that brought a message is an operation of that message's path.
        var isEmptyPoll = message.Request.Method == RequestMethod.Get && uri.AbsolutePath.EndsWith("/messages", StringComparison.Ordinal)
            && message.HasResponse && !message.Response.Content.ToString().Contains("<QueueMessage>", StringComparison.Ordinal);
        if (Recording && !isEmptyPoll)
        {
            _operations.Enqueue($"{message.Request.Method} {uri.Port} {uri.AbsolutePath} {BatchTarget(message)}".TrimEnd());
        }
    }
}
