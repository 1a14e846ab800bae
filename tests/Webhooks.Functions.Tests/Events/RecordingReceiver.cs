using System.Collections.Concurrent;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Events;

/// <summary>One POST a <see cref="RecordingReceiver"/> got, with the status it answered.</summary>
public sealed record ReceivedRequest(IReadOnlyDictionary<string, string> Headers, byte[] Body, int AnsweredStatus)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";

    public string EventId => Header("webhook-id");
}

/// <summary>
/// A real receiver on 127.0.0.1 whose answer can be switched while it runs (a customer's endpoint going down and
/// coming back), recording every request with the status it answered.
/// </summary>
public sealed class RecordingReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private LocalServer _server = null!;

    /// <summary>The status answered from now on.</summary>
    public int Status { get; set; } = 200;

    public string ResponseBody { get; set; } = "ok";

    public string Url => _server.Url("/hooks");

    public IReadOnlyList<ReceivedRequest> Requests => _requests.ToArray();

    public IReadOnlyList<ReceivedRequest> Accepted => _requests.Where(r => r.AnsweredStatus is >= 200 and < 300).ToArray();

    public static async Task<RecordingReceiver> StartAsync()
    {
        var receiver = new RecordingReceiver();
        receiver._server = await LocalServer.StartAsync(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var status = receiver.Status;
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            receiver._requests.Enqueue(new ReceivedRequest(headers, body.ToArray(), status));
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(receiver.ResponseBody);
        });
        return receiver;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
