using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Webhooks.Bench.Worker;

/// <summary>
/// An Azure SDK pipeline policy registered into the app under test: the app adds it to its own storage clients and to
/// those of its Durable Task engine (<c>StorageAccount.DurableClientProvider</c>), so every storage request the app
/// makes (retries included) is counted by kind. The app's own tables and queues lose the app's prefix
/// (<c>table jobs batch</c>, <c>table teams get</c>); the engine's task hub tables, queues and containers are named
/// <c>engine …</c> (<c>table engine History batch</c>, <c>queue engine control receive</c>,
/// <c>queue engine workitems receive (empty)</c>).
/// </summary>
internal sealed partial class StorageOpCounter(string prefix, string taskHub, int tablePort, int queuePort) : HttpPipelinePolicy
{
    public const string EngineMarker = " engine ";

    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    // Classified before the request is sent (a transaction's body may not be readable after), a receive's result after.
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var kind = Classify(message);
        ProcessNext(message, pipeline);
        Count(message, kind);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var kind = Classify(message);
        await ProcessNextAsync(message, pipeline);
        Count(message, kind);
    }

    private void Count(HttpMessage message, string kind)
    {
        if (kind.EndsWith(" receive", StringComparison.Ordinal) && !ResponseBody(message).Contains("<QueueMessage>", StringComparison.Ordinal))
        {
            kind += " (empty)";
        }
        Interlocked.Increment(ref _counters.GetOrAdd(kind, _ => new Counter()).Done);
    }

    public long Completed(string kind) => _counters.TryGetValue(kind, out var c) ? Interlocked.Read(ref c.Done) : 0;

    public SortedDictionary<string, long> Snapshot() =>
        new(_counters.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value.Done)), StringComparer.Ordinal);

    /// <summary>What was counted between two snapshots.</summary>
    public static SortedDictionary<string, long> Between(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        new(after.Select(p => KeyValuePair.Create(p.Key, p.Value - before.GetValueOrDefault(p.Key))).Where(p => p.Value != 0)
            .ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);

    private string Classify(HttpMessage message)
    {
        var request = message.Request;
        var uri = request.Uri.ToUri();
        var method = request.Method.Method;
        var query = uri.Query;
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var resource = segments.Length > 1 ? Uri.UnescapeDataString(segments[1]) : "";
        if (uri.Port == tablePort)
        {
            if (resource == "$batch")
            {
                return $"table {Logical(BatchTable().Match(RequestBody(message)) is { Success: true } m ? m.Groups["table"].Value : "?")} batch";
            }
            var name = resource.Split('(')[0];
            if (name == "Tables")
            {
                return method == "POST" ? "table create-table" : "table tables " + method.ToLowerInvariant();
            }
            request.Headers.TryGetValue("If-Match", out var ifMatch);
            var op = method switch
            {
                "GET" => resource.Contains("PartitionKey=", StringComparison.Ordinal) ? "get" : "query",
                "POST" => "insert",
                "PUT" => ifMatch is null ? "upsert" : "replace",
                "PATCH" or "MERGE" => ifMatch is null ? "insert-or-merge" : "merge",
                "DELETE" => "delete",
                _ => method.ToLowerInvariant(),
            };
            return $"table {Logical(name)} {op}";
        }
        if (uri.Port == queuePort)
        {
            var queue = Logical(resource);
            if (segments.Length >= 3 && segments[2] == "messages")
            {
                if (method == "GET")
                {
                    return query.Contains("peekonly=true", StringComparison.OrdinalIgnoreCase) ? $"queue {queue} peek" : $"queue {queue} receive";
                }
                var delayed = VisibilityTimeout().Match(query) is { Success: true } v && v.Groups["seconds"].Value != "0";
                return (method, segments.Length) switch
                {
                    ("POST", 3) => $"queue {queue} {(delayed ? "send (delayed)" : "send")}",
                    ("DELETE", 4) => $"queue {queue} delete",
                    ("PUT", 4) => $"queue {queue} update",
                    ("DELETE", 3) => $"queue {queue} clear",
                    _ => $"queue {queue} {method.ToLowerInvariant()} messages",
                };
            }
            return $"queue {queue} {(query.Contains("comp=metadata", StringComparison.OrdinalIgnoreCase) ? "properties" : method.ToLowerInvariant())}";
        }
        var container = Logical(resource);
        var blobOp = query.Contains("comp=lease", StringComparison.OrdinalIgnoreCase)
            ? "lease-" + (request.Headers.TryGetValue("x-ms-lease-action", out var action) ? action : "?")
            : method switch { "GET" => "download", "PUT" => "upload", "HEAD" => "properties", _ => method.ToLowerInvariant() };
        return $"blob {container} {blobOp}";
    }

    /// <summary>The app's names without its prefix; the engine's as <c>engine</c> + what the task hub's name is followed by.</summary>
    private string Logical(string name)
    {
        if (name.StartsWith(taskHub, StringComparison.OrdinalIgnoreCase))
        {
            var rest = name[taskHub.Length..].TrimStart('-');
            return EngineMarker.Trim() + " " + (rest.StartsWith("control-", StringComparison.Ordinal) ? "control" : rest.Length == 0 ? "(hub)" : rest);
        }
        return name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
    }

    /// <summary>A request's body as text (a table batch names the entities it writes there).</summary>
    internal static string RequestBody(HttpMessage message)
    {
        if (message.Request.Content is null)
        {
            return "";
        }
        using var buffer = new MemoryStream();
        message.Request.Content.WriteTo(buffer, CancellationToken.None);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string ResponseBody(HttpMessage message) =>
        message.HasResponse && message.Response.ContentStream is MemoryStream stream
            ? Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length)
            : "";

    [GeneratedRegex(@"devstoreaccount1/(?<table>[A-Za-z0-9]+)")]
    private static partial Regex BatchTable();

    [GeneratedRegex(@"visibilitytimeout=(?<seconds>\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex VisibilityTimeout();

    private sealed class Counter
    {
        public long Done;
    }
}
