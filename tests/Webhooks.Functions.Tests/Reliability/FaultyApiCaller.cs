using System.Collections.Concurrent;
using System.Net;

namespace Webhooks.Functions.Tests.Reliability;

/// <summary>
/// An API client as a careful customer writes one while storage misbehaves: a <c>503</c> with <c>Retry-After</c> is
/// retried (the same request, the same <c>Idempotency-Key</c>), at most <see cref="MaxTries"/> times; every answer is
/// recorded, so a test can tell a 503 that asked to be retried from a 500 or a 503 that did not say when.
/// </summary>
internal sealed class FaultyApiCaller(HttpClient client)
{
    private const int MaxTries = 20;

    /// <summary>The wait between tries is the app's Retry-After, shortened to this so that a test stays short.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentQueue<string> _bad = new();
    private int _answers;
    private int _retried;

    /// <summary>Answers that are not allowed while storage misbehaves: a 5xx other than 503, a 503 without Retry-After, no answer at all.</summary>
    public IReadOnlyList<string> BadAnswers => _bad.ToArray();

    public int Answers => Volatile.Read(ref _answers);

    /// <summary>503s with Retry-After that were retried.</summary>
    public int Retried => Volatile.Read(ref _retried);

    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var message = request();
            var what = $"{message.Method} {message.RequestUri}";
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(message);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                _bad.Enqueue($"{what}: no answer ({e.GetType().Name}: {e.Message})");
                throw;
            }
            Interlocked.Increment(ref _answers);
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is { } retryAfter && attempt < MaxTries)
            {
                Interlocked.Increment(ref _retried);
                response.Dispose();
                var wait = retryAfter.Delta ?? LongestWait;
                await Task.Delay(wait < LongestWait ? wait : LongestWait);
                continue;
            }
            if (status >= 500)
            {
                _bad.Enqueue($"{what}: {status} (Retry-After {response.Headers.RetryAfter?.ToString() ?? "none"}) {await response.Content.ReadAsStringAsync()}");
            }
            return response;
        }
    }

    public Task<HttpResponseMessage> PostAsync(string path, string json, string? idempotencyKey = null) => SendAsync(() =>
    {
        var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = Infrastructure.HttpAssertions.Json(json) };
        if (idempotencyKey is not null)
        {
            message.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return message;
    });

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path));
}
