using System.Collections.Concurrent;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>A webhook received by a <see cref="WebhookReceiver"/>: headers and the exact body bytes.</summary>
public sealed record ReceivedWebhook(IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset ReceivedAt)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    public string Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : "";
}

/// <summary>
/// A real HTTP receiver on 127.0.0.1 that records every POST and answers with <c>respond</c>
/// (called with the 1-based number of the request), 200 by default. Reading what it received fails the test when a
/// delivery did not conform to its event type's schema (<see cref="DeliveryConformance"/>).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private LocalServer _server = null!;
    private int _count;

    public Func<int, HttpContext, Task>? Respond { get; set; }

    public IReadOnlyList<ReceivedWebhook> Received
    {
        get
        {
            _server.Deliveries.AssertConformed();
            return _received.ToArray();
        }
    }

    public string Url => _server.Url("/hooks");

    public static async Task<WebhookReceiver> StartAsync(Func<int, HttpContext, Task>? respond = null)
    {
        var receiver = new WebhookReceiver { Respond = respond };
        receiver._server = await LocalServer.StartAsync(receiver.HandleAsync);
        return receiver;
    }

    /// <summary>Waits until at least <paramref name="count"/> webhooks arrived (bounded).</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(30));
        while (_received.Count < count)
        {
            _server.Deliveries.AssertConformed();
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"Expected {count} webhooks, got {_received.Count}.");
            }
            await Task.Delay(20);
        }
        return Received;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        _received.Enqueue(new ReceivedWebhook(headers, body.ToArray(), TimeProvider.System.GetUtcNow()));
        var number = Interlocked.Increment(ref _count);
        if (Respond is { } respond)
        {
            await respond(number, context);
        }
        else
        {
            context.Response.StatusCode = 200;
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
