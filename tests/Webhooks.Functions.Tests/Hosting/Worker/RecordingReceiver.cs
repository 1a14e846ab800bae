using System.Collections.Concurrent;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Hosting.Worker;

/// <summary>A real webhook receiver on 127.0.0.1 that records each attempt's <c>X-Webhook-Attempt</c> and answers with <c>status(n)</c>.</summary>
public sealed class RecordingReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _attempts = new();
    private LocalServer _server = null!;
    private int _count;

    public IReadOnlyList<string> Attempts => _attempts.ToArray();

    public string Url => _server.Url("/hook");

    /// <param name="status">The status to answer the n-th request (1-based) with.</param>
    public static async Task<RecordingReceiver> StartAsync(Func<int, int> status)
    {
        var receiver = new RecordingReceiver();
        receiver._server = await LocalServer.StartAsync(context =>
        {
            receiver._attempts.Enqueue(context.Request.Headers["X-Webhook-Attempt"].ToString());
            context.Response.StatusCode = status(Interlocked.Increment(ref receiver._count));
            return Task.CompletedTask;
        });
        return receiver;
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> attempts have arrived.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (Attempts.Count < count)
        {
            if (TimeProvider.System.GetElapsedTime(started) > (timeout ?? TimeSpan.FromSeconds(20)))
            {
                throw new TimeoutException($"Expected {count} attempts, got {Attempts.Count}: {string.Join(", ", Attempts)}");
            }
            await Task.Delay(20);
        }
        return Attempts;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
