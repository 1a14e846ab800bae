using System.Collections.Concurrent;
using System.Text.Json;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Reliability;

/// <summary>How a <see cref="ScriptedReceiver"/> answers.</summary>
public enum ReceiverBehaviour
{
    /// <summary>200 at once.</summary>
    AlwaysOk,

    /// <summary>500 to the first two requests of each event id, then 200.</summary>
    FailFirstTwo,

    /// <summary>500 always: every delivery to it ends failed.</summary>
    AlwaysFail,

    /// <summary>200 after <see cref="ScriptedReceiver.SlowDelay"/>: attempts are in flight for a while.</summary>
    Slow,
}

/// <summary>One webhook request as the receiver saw it, with the answer it gave (0 when the sender went away first).</summary>
public sealed record ScriptedRequest(string EventId, string DeliveryId, string Attempt, string? DataId, int Answered)
{
    public int AttemptNumber => int.Parse(Attempt.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A real receiver on 127.0.0.1 with one fixed behaviour, recording every request it got.</summary>
public sealed class ScriptedReceiver : IAsyncDisposable
{
    public static readonly TimeSpan SlowDelay = TimeSpan.FromMilliseconds(700);

    private readonly ConcurrentQueue<ScriptedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, int> _perEvent = new(StringComparer.Ordinal);
    private LocalServer _server = null!;
    private int _inFlight;

    private ScriptedReceiver(ReceiverBehaviour behaviour) => Behaviour = behaviour;

    public ReceiverBehaviour Behaviour { get; }

    public string Url => _server.Url("/hooks/" + Behaviour.ToString().ToLowerInvariant());

    public IReadOnlyList<ScriptedRequest> Requests => _requests.ToArray();

    /// <summary>Requests whose answer has not been written yet.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public static async Task<ScriptedReceiver> StartAsync(ReceiverBehaviour behaviour)
    {
        var receiver = new ScriptedReceiver(behaviour);
        receiver._server = await LocalServer.StartAsync(receiver.HandleAsync);
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _inFlight);
        var answered = 0;
        string eventId = context.Request.Headers["webhook-id"].ToString();
        string? dataId = null;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (body.RootElement.TryGetProperty("data", out var data) && data.TryGetProperty("id", out var id))
            {
                dataId = id.GetString();
            }
            var seen = _perEvent.AddOrUpdate(eventId, 1, (_, n) => n + 1);
            answered = Behaviour switch
            {
                ReceiverBehaviour.AlwaysFail => 500,
                ReceiverBehaviour.FailFirstTwo when seen <= 2 => 500,
                _ => 200,
            };
            if (Behaviour == ReceiverBehaviour.Slow)
            {
                await Task.Delay(SlowDelay, context.RequestAborted);
            }
            context.Response.StatusCode = answered;
            await context.Response.WriteAsync(answered == 200 ? "ok" : "not now", context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The sender died or timed out mid-request: it never saw an answer.
            answered = 0;
        }
        finally
        {
            _requests.Enqueue(new ScriptedRequest(eventId, context.Request.Headers["X-Webhook-Delivery-Id"].ToString(),
                context.Request.Headers["X-Webhook-Attempt"].ToString(), dataId, answered));
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
