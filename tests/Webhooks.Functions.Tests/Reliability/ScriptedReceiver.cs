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
    private readonly Dictionary<string, List<string>> _attemptsInFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _overlaps = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LocalServer _server = null!;
    private int _inFlight;

    private ScriptedReceiver(ReceiverBehaviour behaviour, bool held)
    {
        Behaviour = behaviour;
        if (!held)
        {
            _released.SetResult();
        }
    }

    public ReceiverBehaviour Behaviour { get; }

    public string Url => _server.Url("/hooks/" + Behaviour.ToString().ToLowerInvariant());

    public IReadOnlyList<ScriptedRequest> Requests => _requests.ToArray();

    /// <summary>Requests whose answer has not been written yet.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>
    /// Every request that arrived while another request of the same delivery (X-Webhook-Delivery-Id), of the same
    /// attempt or not, was still in flight here: a delivery's attempts are sequential, so each one is a double send.
    /// </summary>
    public IReadOnlyList<string> Overlaps => _overlaps.ToArray();

    /// <summary>
    /// A receiver on a port of its own. A <paramref name="held"/> one keeps every request waiting, before it answers,
    /// until <see cref="Release"/>: a test then knows that attempts are in flight, and lets them all answer at once.
    /// </summary>
    public static async Task<ScriptedReceiver> StartAsync(ReceiverBehaviour behaviour, bool held = false)
    {
        var receiver = new ScriptedReceiver(behaviour, held);
        receiver._server = await LocalServer.StartAsync(receiver.HandleAsync);
        return receiver;
    }

    /// <summary>Lets the requests a held receiver keeps, and every later one, answer.</summary>
    public void Release() => _released.TrySetResult();

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _inFlight);
        var answered = 0;
        string eventId = context.Request.Headers["webhook-id"].ToString();
        string? dataId = null;
        var deliveryId = context.Request.Headers["X-Webhook-Delivery-Id"].ToString();
        var attempt = context.Request.Headers["X-Webhook-Attempt"].ToString();
        lock (_attemptsInFlight)
        {
            if (!_attemptsInFlight.TryGetValue(deliveryId, out var inFlight))
            {
                _attemptsInFlight[deliveryId] = inFlight = [];
            }
            if (inFlight.Count > 0)
            {
                _overlaps.Enqueue($"delivery {deliveryId} attempt {attempt} arrived while attempt {string.Join(" and ", inFlight)} was in flight");
            }
            inFlight.Add(attempt);
        }
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (body.RootElement.TryGetProperty("data", out var data) && data.TryGetProperty("id", out var id))
            {
                dataId = id.GetString();
            }
            await _released.Task.WaitAsync(context.RequestAborted);
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
            _requests.Enqueue(new ScriptedRequest(eventId, deliveryId, attempt, dataId, answered));
            lock (_attemptsInFlight)
            {
                var inFlight = _attemptsInFlight[deliveryId];
                inFlight.Remove(attempt);
                if (inFlight.Count == 0)
                {
                    _attemptsInFlight.Remove(deliveryId);
                }
            }
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
