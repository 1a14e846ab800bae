using System.Collections.Concurrent;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Webhooks.Bench.Infrastructure;

namespace Webhooks.Bench.Worker;

/// <summary>
/// An Azure SDK pipeline policy registered into the app under test: every storage request it makes (retries
/// included) is counted by kind, e.g. <c>table jobs batch</c>, <c>queue deliveries send</c>, <c>table teams get</c>.
/// A table transaction's table is read from its body. The time of the last completed request of each kind is kept,
/// so "the last outcome was recorded" has a precise time.
/// </summary>
internal sealed class StorageOpCounter(string prefix, int tablePort, int queuePort) : HttpPipelinePolicy
{
    private static readonly System.Buffers.SearchValues<byte> NameBytes = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789"u8);
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly byte[] _prefixMarker = Encoding.ASCII.GetBytes("/" + prefix);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var counter = For(message);
        ProcessNext(message, pipeline);
        counter.Complete();
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var counter = For(message);
        await ProcessNextAsync(message, pipeline);
        counter.Complete();
    }

    public void Reset() => _counters.Clear();

    public long Completed(string kind) => _counters.TryGetValue(kind, out var c) ? Interlocked.Read(ref c.Done) : 0;

    /// <summary>Monotonic time the last request of <paramref name="kind"/> completed, 0 if none.</summary>
    public long LastCompletedAt(string kind) => _counters.TryGetValue(kind, out var c) ? Interlocked.Read(ref c.LastDoneAt) : 0;

    public SortedDictionary<string, long> Snapshot() =>
        new(_counters.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value.Done)), StringComparer.Ordinal);

    private Counter For(HttpMessage message) => _counters.GetOrAdd(Classify(message), _ => new Counter());

    private string Classify(HttpMessage message)
    {
        var uri = message.Request.Uri.ToUri();
        var method = message.Request.Method.Method;
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var resource = segments.Length > 1 ? segments[1] : "";
        if (uri.Port == tablePort)
        {
            if (resource == "$batch")
            {
                return $"table {BatchTable(message)} batch";
            }
            var table = Logical(resource.Split('(')[0]);
            var op = method switch
            {
                "GET" => resource.EndsWith("()", StringComparison.Ordinal) || !resource.Contains('(', StringComparison.Ordinal) ? "query" : "get",
                "POST" => resource == "Tables" ? "create-table" : "insert",
                "PUT" => "replace",
                "PATCH" or "MERGE" => "merge",
                _ => method.ToLowerInvariant(),
            };
            return $"table {table} {op}";
        }
        if (uri.Port == queuePort)
        {
            var queue = Logical(resource);
            var op = (method, segments.Length) switch
            {
                ("GET", 3) => "receive",
                ("POST", 3) => "send",
                ("DELETE", 4) => "delete",
                ("PUT", 4) => "update",
                ("DELETE", 3) => "clear",
                _ => method.ToLowerInvariant() + " " + string.Join('/', segments.Skip(2)),
            };
            return $"queue {queue} {op}";
        }
        return $"blob {method.ToLowerInvariant()}";
    }

    private string Logical(string name) => name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;

    /// <summary>The first table named in a transaction's multipart body (all its operations share one table).</summary>
    private string BatchTable(HttpMessage message)
    {
        if (message.Request.Content is null)
        {
            return "?";
        }
        using var buffer = new MemoryStream();
        message.Request.Content.WriteTo(buffer, CancellationToken.None);
        var body = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        var at = body.IndexOf(_prefixMarker);
        if (at < 0)
        {
            return "?";
        }
        var name = body[(at + _prefixMarker.Length)..];
        var end = name.IndexOfAnyExcept(NameBytes);
        return Encoding.ASCII.GetString(end < 0 ? name : name[..end]);
    }

    private sealed class Counter
    {
        public long Done;
        public long LastDoneAt;

        public void Complete()
        {
            Interlocked.Increment(ref Done);
            Interlocked.Exchange(ref LastDoneAt, Clock.Now);
        }
    }
}
