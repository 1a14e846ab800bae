using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using Webhooks.Bench.Infrastructure;
using Webhooks.Bench.Worker;

namespace Webhooks.Bench.Scenarios.Engine;

/// <summary>
/// An Azure SDK pipeline policy in the Durable Task backend's blob, queue and table clients (per retry, so a retried
/// request counts twice, as storage bills it): every request is counted by kind, e.g. <c>table History batch</c>,
/// <c>table Instances insert-or-merge</c>, <c>queue control receive (empty)</c>, <c>queue workitems send</c>,
/// <c>blob applease lease-renew</c>. Names lose the task hub's prefix and the control queues their number. While a
/// trace is on, each request is also listed in order with what it carried (event types, rows, status).
/// </summary>
internal sealed partial class EngineOpCounter(string taskHub, int tablePort, int queuePort) : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly string _hubLower = taskHub.ToLowerInvariant();
    private ConcurrentQueue<TraceEntry>? _trace;
    private long _traceStartedAt;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The Durable Task backend calls storage asynchronously.");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var started = Clock.Now;
        await ProcessNextAsync(message, pipeline);
        var (kind, items) = Classify(message);
        var counter = _counters.GetOrAdd(kind, _ => new Counter());
        Interlocked.Increment(ref counter.Count);
        Interlocked.Add(ref counter.Items, items);
        if (Volatile.Read(ref _trace) is { } trace)
        {
            trace.Enqueue(new TraceEntry(Clock.Milliseconds(_traceStartedAt, started), Clock.Milliseconds(started, Clock.Now), kind,
                message.HasResponse ? message.Response.Status : 0, Detail(message, kind)));
        }
    }

    public void Reset() => _counters.Clear();

    /// <summary>Requests by kind, and what they carried in all (rows written by transactions, messages received).</summary>
    public SortedDictionary<string, (long Count, long Items)> Snapshot() =>
        new(_counters.ToDictionary(p => p.Key, p => (Interlocked.Read(ref p.Value.Count), Interlocked.Read(ref p.Value.Items))), StringComparer.Ordinal);

    public void StartTrace()
    {
        _traceStartedAt = Clock.Now;
        Volatile.Write(ref _trace, new ConcurrentQueue<TraceEntry>());
    }

    public IReadOnlyList<TraceEntry> StopTrace()
    {
        var trace = Interlocked.Exchange(ref _trace, null);
        return trace is null ? [] : [.. trace.OrderBy(e => e.AtMs)];
    }

    private (string Kind, long Items) Classify(HttpMessage message)
    {
        var request = message.Request;
        var uri = request.Uri.ToUri();
        var method = request.Method.Method;
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var resource = segments.Length > 1 ? Uri.UnescapeDataString(segments[1]) : "";
        var query = uri.Query;
        if (uri.Port == tablePort)
        {
            if (resource == "$batch")
            {
                var body = StorageOpCounter.RequestBody(message);
                var table = BatchTable().Match(body) is { Success: true } m ? TableName(m.Groups["table"].Value) : "?";
                return ($"table {table} batch", CountOf(body, "Content-Type: application/http"));
            }
            var name = resource.Split('(')[0];
            if (name == "Tables")
            {
                return ($"table {(method == "POST" ? "create-table" : "tables " + method.ToLowerInvariant())}", 0);
            }
            request.Headers.TryGetValue("If-Match", out var ifMatch);
            var op = method switch
            {
                "GET" => resource.Contains("PartitionKey=", StringComparison.Ordinal) ? "get" : "query",
                "POST" => "insert",
                "PUT" => ifMatch is null ? "upsert" : "replace",
                "PATCH" or "MERGE" => ifMatch is null ? "insert-or-merge" : ifMatch == "*" ? "merge" : "merge (etag)",
                "DELETE" => "delete",
                _ => method.ToLowerInvariant(),
            };
            return ($"table {TableName(name)} {op}", 0);
        }
        if (uri.Port == queuePort)
        {
            var queue = QueueName(resource);
            if (segments.Length >= 3 && segments[2] == "messages")
            {
                if (method == "GET")
                {
                    if (query.Contains("peekonly=true", StringComparison.OrdinalIgnoreCase))
                    {
                        return ($"queue {queue} peek", 0);
                    }
                    var received = CountOf(ResponseBody(message), "<QueueMessage>");
                    return ($"queue {queue} {(received == 0 ? "receive (empty)" : "receive")}", received);
                }
                var delayed = VisibilityTimeout().Match(query) is { Success: true } v && v.Groups["seconds"].Value != "0";
                return (method, segments.Length) switch
                {
                    ("POST", 3) => ($"queue {queue} {(delayed ? "send (delayed)" : "send")}", 1),
                    ("DELETE", 4) => ($"queue {queue} delete", 0),
                    ("PUT", 4) => ($"queue {queue} update", 0),
                    ("DELETE", 3) => ($"queue {queue} clear", 0),
                    _ => ($"queue {queue} {method.ToLowerInvariant()} messages", 0),
                };
            }
            var queueOp = (method, query.Contains("comp=metadata", StringComparison.OrdinalIgnoreCase)) switch
            {
                ("PUT", false) => "create",
                ("GET" or "HEAD", true) => "properties",
                ("DELETE", _) => "delete-queue",
                _ => method.ToLowerInvariant(),
            };
            return ($"queue {queue} {queueOp}", 0);
        }
        var container = ContainerName(resource);
        string blobOp;
        if (query.Contains("comp=lease", StringComparison.OrdinalIgnoreCase))
        {
            blobOp = "lease-" + (request.Headers.TryGetValue("x-ms-lease-action", out var action) ? action : "?");
        }
        else if (query.Contains("restype=container", StringComparison.OrdinalIgnoreCase))
        {
            blobOp = query.Contains("comp=list", StringComparison.OrdinalIgnoreCase) ? "list" : "container " + method.ToLowerInvariant();
        }
        else
        {
            blobOp = method switch { "GET" => "download", "PUT" => "upload", "HEAD" => "properties", _ => method.ToLowerInvariant() };
        }
        return ($"blob {container} {blobOp}", 0);
    }

    private string TableName(string name) =>
        name.StartsWith(taskHub, StringComparison.OrdinalIgnoreCase) ? name[taskHub.Length..] : name;

    private string QueueName(string name)
    {
        var logical = name.StartsWith(_hubLower + "-", StringComparison.Ordinal) ? name[(_hubLower.Length + 1)..] : name;
        return logical.StartsWith("control-", StringComparison.Ordinal) ? "control" : logical;
    }

    private string ContainerName(string name) =>
        name.StartsWith(_hubLower + "-", StringComparison.Ordinal) ? name[(_hubLower.Length + 1)..] : name;

    /// <summary>What a traced request carried: the history events it sent, wrote or received, and the status written.</summary>
    private static string Detail(HttpMessage message, string kind)
    {
        var body = kind.Contains(" receive", StringComparison.Ordinal) ? ResponseBody(message).Replace("&quot;", "\"", StringComparison.Ordinal)
            : kind.StartsWith("table", StringComparison.Ordinal) && kind.EndsWith("query", StringComparison.Ordinal) ? ResponseBody(message)
            : StorageOpCounter.RequestBody(message);
        var detail = new StringBuilder();
        if (kind.StartsWith("queue", StringComparison.Ordinal))
        {
            detail.AppendJoin(',', EventTypeName().Matches(body).Select(m => m.Groups["type"].Value));
        }
        else if (kind.StartsWith("table History", StringComparison.Ordinal))
        {
            var events = HistoryEventType().Matches(body).Select(m => m.Groups["type"].Value).ToList();
            var rows = kind.EndsWith("batch", StringComparison.Ordinal) ? CountOf(body, "Content-Type: application/http") : events.Count;
            detail.Append(CultureInfo.InvariantCulture, $"{rows} rows: ").AppendJoin(',', events);
            if (body.Contains("\"RowKey\":\"sentinel\"", StringComparison.Ordinal))
            {
                detail.Append(",sentinel");
            }
        }
        else if (kind.StartsWith("table Instances", StringComparison.Ordinal))
        {
            detail.AppendJoin(',', RuntimeStatus().Matches(body).Select(m => m.Groups["status"].Value));
        }
        return detail.ToString();
    }


    private static string ResponseBody(HttpMessage message)
    {
        if (!message.HasResponse || message.Response.ContentStream is not MemoryStream stream)
        {
            return "";
        }
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    [GeneratedRegex(@"devstoreaccount1/(?<table>[A-Za-z0-9]+)[\(\s]")]
    private static partial Regex BatchTable();

    [GeneratedRegex(@"visibilitytimeout=(?<seconds>\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex VisibilityTimeout();

    [GeneratedRegex(@"History\.(?<type>\w+)Event,")]
    private static partial Regex EventTypeName();

    [GeneratedRegex(@"""EventType"":""?(?<type>\w+)")]
    private static partial Regex HistoryEventType();

    [GeneratedRegex(@"""RuntimeStatus"":""(?<status>\w+)""")]
    private static partial Regex RuntimeStatus();

    private sealed class Counter
    {
        public long Count;
        public long Items;
    }

    /// <summary>One traced request: when it started and how long it took (ms), its kind, HTTP status and what it carried.</summary>
    public sealed record TraceEntry(double AtMs, double TookMs, string Kind, int Status, string Detail)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"+{AtMs:0} ms {Kind} → {Status} ({TookMs:0} ms){(Detail.Length > 0 ? ": " + Detail : "")}");
    }
}
