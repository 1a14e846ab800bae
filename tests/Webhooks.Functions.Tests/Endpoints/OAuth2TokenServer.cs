using System.Collections.Concurrent;
using System.Text;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Endpoints;

/// <summary>
/// A real OAuth 2.0 token endpoint on 127.0.0.1 (RFC 6749 §4.4): it accepts only a form-encoded
/// <c>grant_type=client_credentials</c> with HTTP Basic <c>client:secret</c>, and issues <c>tok-1</c>, <c>tok-2</c>…
/// with <see cref="ExpiresIn"/>. <see cref="Fail"/> makes the next requests answer 500.
/// </summary>
internal sealed class OAuth2TokenServer : IAsyncDisposable
{
    public const string ClientId = "sender";
    public const string ClientSecret = "s3cret:with/odd chars";

    private readonly ConcurrentQueue<string> _issued = new();
    private readonly ConcurrentQueue<string> _scopes = new();
    private LocalServer _server = null!;
    private int _count;

    public int ExpiresIn { get; set; } = 3600;

    /// <summary>How many of the next requests answer 500.</summary>
    public int Fail;

    public string Url => _server.Url("/token");

    public IReadOnlyList<string> Issued => _issued.ToArray();

    public IReadOnlyList<string> Scopes => _scopes.ToArray();

    /// <summary>Whether <paramref name="authorization"/> is <c>Bearer</c> with the token issued last.</summary>
    public bool IsLatest(string authorization) => _issued.LastOrDefault() is { } latest && authorization == $"Bearer {latest}";

    public static async Task<OAuth2TokenServer> StartAsync()
    {
        var server = new OAuth2TokenServer();
        server._server = await LocalServer.StartAsync(server.HandleAsync);
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(ClientId)}:{Uri.EscapeDataString(ClientSecret)}"));
        if (request.Method != "POST" || !request.HasFormContentType)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = "invalid_request" });
            return;
        }
        var form = await request.ReadFormAsync();
        if (request.Headers.Authorization.ToString() != expected)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new { error = "invalid_client" });
            return;
        }
        if (form["grant_type"] != "client_credentials")
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = "unsupported_grant_type" });
            return;
        }
        if (Interlocked.Decrement(ref Fail) >= 0)
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsJsonAsync(new { error = "server_error" });
            return;
        }
        _scopes.Enqueue(form["scope"].ToString());
        var token = $"tok-{Interlocked.Increment(ref _count)}";
        _issued.Enqueue(token);
        await context.Response.WriteAsJsonAsync(new { access_token = token, token_type = "Bearer", expires_in = ExpiresIn });
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
