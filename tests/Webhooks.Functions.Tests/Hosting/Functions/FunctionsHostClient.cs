using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Webhooks.Functions.Tests.Hosting.Functions;

/// <summary>
/// Plays the Azure Functions host against an app in custom-handler mode, building requests exactly as
/// docs/functions-host-contract.md records them: <c>POST /{function}</c> with a chunked JSON body, the host's two
/// headers and user agent, the queue message JSON-encoded twice and metadata numbers sent as strings.
/// </summary>
public sealed class FunctionsHostClient(Uri appAddress) : IDisposable
{
    public const string HostVersion = "4.1041.200.2";
    public const string PublicHost = "webhooks-abc.azurewebsites.net";

    /// <summary>The host serializes with Json.NET, which escapes quotes as <c>\"</c>; this encoder writes the same.</summary>
    private static readonly JsonSerializerOptions HostJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        BaseAddress = appAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public Uri AppAddress => appAddress;

    /// <summary>A queue invocation of <paramref name="function"/> for one message, as the host sends it.</summary>
    public Task<HttpResponseMessage> InvokeQueueAsync(string function, string messageText, long dequeueCount = 1, string? messageId = null,
        string popReceipt = "AgAAAAMAAAAAAAAAr3D1f7Zc3AE=") =>
        SendAsync(Invocation(function, QueuePayload(function, messageText, dequeueCount, messageId ?? Guid.NewGuid().ToString(), popReceipt)));

    /// <summary>A timer invocation of <paramref name="function"/>, as the host sends it.</summary>
    public Task<HttpResponseMessage> InvokeTimerAsync(string function, bool isPastDue = false) =>
        SendAsync(Invocation(function, TimerPayload(function, isPastDue)));

    /// <summary>The request the host builds for an invocation; tests alter it to look forwarded.</summary>
    public HttpRequestMessage Invocation(string function, string payload)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/" + function) { Content = new ChunkedJsonContent(payload) };
        request.Headers.TryAddWithoutValidation("X-Azure-Functions-HostVersion", HostVersion);
        request.Headers.TryAddWithoutValidation("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.TryAddWithoutValidation("User-Agent", "Azure-Functions-Host/" + HostVersion);
        return request;
    }

    /// <summary>
    /// A public request as the catch-all <c>http</c> function forwards it: same method, path and headers, the public
    /// <c>Host</c>, the front end's headers, and the host's invocation headers appended.
    /// </summary>
    public HttpRequestMessage Forwarded(HttpMethod method, string pathAndQuery, string? bearer = null)
    {
        var request = new HttpRequestMessage(method, pathAndQuery);
        request.Headers.Host = PublicHost;
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.7:51234");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        request.Headers.TryAddWithoutValidation("X-ARR-LOG-ID", Guid.NewGuid().ToString());
        request.Headers.TryAddWithoutValidation("DISGUISED-HOST", PublicHost);
        request.Headers.TryAddWithoutValidation("Client-IP", "203.0.113.7:51234");
        request.Headers.TryAddWithoutValidation("X-Original-URL", pathAndQuery);
        request.Headers.TryAddWithoutValidation("User-Agent", "curl/8.5.0 Azure-Functions-Host/" + HostVersion);
        request.Headers.TryAddWithoutValidation("X-Azure-Functions-HostVersion", HostVersion);
        request.Headers.TryAddWithoutValidation("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }
        return request;
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _client.SendAsync(request);

    /// <summary>
    /// The queue invocation body: <c>Data.message</c> is the message's JSON string literal (encoded once more when the
    /// body is written), metadata strings are JSON literals, numbers their text, and a JSON message's top-level
    /// non-array properties are merged into Metadata, overriding built-in keys case-insensitively.
    /// </summary>
    public static string QueuePayload(string function, string messageText, long dequeueCount, string messageId, string popReceipt)
    {
        var inserted = new DateTimeOffset(2025, 11, 23, 10, 15, 2, TimeSpan.Zero);
        var metadata = new JsonObject
        {
            ["DequeueCount"] = dequeueCount.ToString(CultureInfo.InvariantCulture),
            ["ExpirationTime"] = inserted.AddDays(7).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
            ["Id"] = Literal(messageId),
            ["InsertionTime"] = inserted.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
            ["NextVisibleTime"] = inserted.AddMinutes(10).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
            ["PopReceipt"] = Literal(popReceipt),
        };
        if (TryParseObject(messageText) is { } message)
        {
            foreach (var (name, value) in message)
            {
                if (value is JsonArray)
                {
                    continue;
                }
                foreach (var existing in metadata.Select(p => p.Key).Where(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)).ToList())
                {
                    metadata.Remove(existing);
                }
                metadata[name] = value switch
                {
                    JsonObject o => o.DeepClone(),
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => (JsonNode)Literal(v.GetValue<string>()),
                    _ => (JsonNode?)value?.ToJsonString(),
                };
            }
        }
        metadata["sys"] = Sys(function);
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["message"] = Literal(messageText) },
            ["Metadata"] = metadata,
        };
        return payload.ToJsonString(HostJson);
    }

    public static string TimerPayload(string function, bool isPastDue) => new JsonObject
    {
        ["Data"] = new JsonObject
        {
            ["timer"] = new JsonObject
            {
                ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                ["ScheduleStatus"] = null,
                ["IsPastDue"] = isPastDue,
            },
        },
        ["Metadata"] = new JsonObject { ["sys"] = Sys(function) },
    }.ToJsonString(HostJson);

    private static JsonObject Sys(string function) => new()
    {
        ["MethodName"] = function,
        ["UtcNow"] = "2025-11-23T10:15:03.1234567Z",
        ["RandGuid"] = Guid.NewGuid().ToString(),
    };

    private static string Literal(string text) => JsonSerializer.Serialize(text, HostJson);

    private static JsonObject? TryParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _client.Dispose();
}
