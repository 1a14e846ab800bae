using System.Globalization;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Reliability;

/// <summary>
/// A real site on 127.0.0.1 for batch items and crawls. Paths say what they answer, so a job's expected outcome is
/// known from its URLs alone:
/// <list type="bullet">
/// <item><c>/b/{name}?d={ms}</c>: an HTML page titled <c>{name}</c>, after <c>ms</c> milliseconds.</item>
/// <item><c>/missing/{name}</c>: 404 (a failed item).</item>
/// <item><c>/c/{site}/{n}?d={ms}</c>: crawl page <c>n</c> of a tree where page n links to 2n+1 and 2n+2 (below 64).</item>
/// <item><c>/forbidden/...</c>: 403 (a crawl whose root fails).</item>
/// <item><c>/robots.txt</c>: 404, so nothing is disallowed.</item>
/// </list>
/// Any path with <c>g={gate}</c> in its query is held until the test opens that gate (or the client gives up, or the
/// site stops), so a test knows that work is in flight, or makes many jobs finish at once. Not released after some time:
/// work held across a storage outage must not finish while storage is still down, however long the restart takes.
/// </summary>
public sealed class TestSite : IAsyncDisposable
{
    private const int TreeSize = 64;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> _gates = new(StringComparer.Ordinal);
    private LocalServer _server = null!;
    private int _hits;

    /// <summary>Requests answered or in progress so far.</summary>
    public int Hits => Volatile.Read(ref _hits);

    public string Url(string pathAndQuery) => _server.Url(pathAndQuery);

    public void OpenGate(string gate) => Gate(gate).TrySetResult();

    private TaskCompletionSource Gate(string gate) =>
        _gates.GetOrAdd(gate, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public static async Task<TestSite> StartAsync()
    {
        var site = new TestSite();
        site._server = await LocalServer.StartAsync(site.HandleAsync);
        return site;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _hits);
        var path = context.Request.Path.Value ?? "/";
        if (context.Request.Query["g"].ToString() is { Length: > 0 } gate)
        {
            await Gate(gate).Task.WaitAsync(context.RequestAborted);
        }
        if (int.TryParse(context.Request.Query["d"], NumberStyles.None, CultureInfo.InvariantCulture, out var delay) && delay > 0)
        {
            await Task.Delay(Math.Min(delay, 10_000), context.RequestAborted);
        }
        if (path.StartsWith("/b/", StringComparison.Ordinal))
        {
            await HtmlAsync(context, path[3..], []);
            return;
        }
        if (path.StartsWith("/c/", StringComparison.Ordinal))
        {
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 3 && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < TreeSize)
            {
                var query = context.Request.QueryString.Value ?? "";
                var links = new[] { (2 * n) + 1, (2 * n) + 2 }.Where(c => c < TreeSize).Select(c => $"/c/{parts[1]}/{c}{query}").ToArray();
                await HtmlAsync(context, $"{parts[1]} page {n}", links);
                return;
            }
        }
        context.Response.StatusCode = path.StartsWith("/forbidden/", StringComparison.Ordinal) ? 403 : 404;
    }

    private static async Task HtmlAsync(HttpContext context, string title, string[] links)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        var anchors = string.Concat(links.Select(l => $"<a href=\"{l}\">next</a>"));
        await context.Response.WriteAsync($"<!doctype html><html><head><title>{title}</title></head><body>{anchors}</body></html>");
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
