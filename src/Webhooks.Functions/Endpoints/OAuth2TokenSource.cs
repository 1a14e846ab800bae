using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Outbound;

namespace Webhooks.Functions.Endpoints;

/// <summary>
/// The bearer tokens of one endpoint's OAuth 2.0 client (SPEC §13), held for the attempts of this process: a token
/// is fetched (RFC 6749 §4.4: form-encoded <c>grant_type=client_credentials</c>, HTTP Basic client authentication),
/// reused until <see cref="RefreshBefore"/> its <c>expires_in</c>, and dropped when the receiver answers 401. However
/// many attempts need one at once, one request is in flight.
/// </summary>
internal sealed partial class OAuth2TokenSource(
    string endpointId, OAuth2Client client, IHttpClientFactory clients, TimeSpan requestTimeout, TimeProvider time, ILogger logger) : IBearerTokenSource
{
    /// <summary>A token is not reused in the last minute of its life, so an attempt never starts with one about to expire.</summary>
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromSeconds(60);

    /// <summary>How long a token that states no <c>expires_in</c> is reused (unless a 401 drops it first).</summary>
    public static readonly TimeSpan UnstatedLifetime = TimeSpan.FromHours(1);

    private const int MaxAnswerBytes = 64 * 1024;

    private readonly Lock _lock = new();
    private (string Token, DateTimeOffset ReuseUntil)? _held;
    private Task<string>? _fetching;

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        Task<string> fetch;
        lock (_lock)
        {
            if (_held is { } held && time.GetUtcNow() < held.ReuseUntil)
            {
                return held.Token;
            }
            // Not cancelled with the attempt that started it: the others waiting share it.
            fetch = _fetching ??= FetchAndHoldAsync();
        }
        return await fetch.WaitAsync(cancellationToken);
    }

    public void Reject(string token)
    {
        lock (_lock)
        {
            if (_held?.Token == token)
            {
                _held = null;
            }
        }
        LogTokenRejected(logger, endpointId);
    }

    private async Task<string> FetchAndHoldAsync()
    {
        // Never completes synchronously, so _fetching is set before this clears it.
        await Task.Yield();
        try
        {
            var (token, lifetime) = await FetchAsync();
            lock (_lock)
            {
                _held = (token, time.GetUtcNow() + lifetime - RefreshBefore);
            }
            LogTokenFetched(logger, endpointId, client.TokenUrl, (long)lifetime.TotalSeconds);
            return token;
        }
        finally
        {
            lock (_lock)
            {
                _fetching = null;
            }
        }
    }

    private async Task<(string Token, TimeSpan Lifetime)> FetchAsync()
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (client.Scope is { } scope)
        {
            form.Add(new("scope", scope));
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, client.TokenUrl) { Content = new FormUrlEncodedContent(form) };
        // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined for Basic.
        var credentials = $"{Uri.EscapeDataString(client.ClientId)}:{Uri.EscapeDataString(client.ClientSecret ?? "")}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("User-Agent", HttpClientNames.UserAgent);
        using var timeout = new CancellationTokenSource(requestTimeout);
        try
        {
            using var response = await clients.CreateClient(HttpClientNames.Webhooks).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await ReadAsync(response.Content, timeout.Token);
            var status = (int)response.StatusCode;
            if (status is < 200 or >= 300)
            {
                throw new BearerTokenException($"the token endpoint answered HTTP {status}{Describe(body)}");
            }
            return Parse(body);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new BearerTokenException($"the token endpoint gave no answer within {requestTimeout.TotalSeconds:0.###} s") { TimedOut = true };
        }
        catch (HttpRequestException e) when (Blocked(e) is { } blocked)
        {
            throw new BearerTokenException($"token_url: {blocked.Message}", e) { Blocked = true };
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new BearerTokenException($"the token endpoint could not be reached: {e.Message}", e);
        }
    }

    private static (string Token, TimeSpan Lifetime) Parse(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new BearerTokenException("the token endpoint's answer is not JSON");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("access_token", out var tokenElement) || tokenElement.ValueKind != JsonValueKind.String
                || tokenElement.GetString() is not { Length: > 0 } token)
            {
                throw new BearerTokenException("the token endpoint's answer has no access_token");
            }
            if (root.TryGetProperty("token_type", out var type) && type.ValueKind == JsonValueKind.String
                && !string.Equals(type.GetString(), "bearer", StringComparison.OrdinalIgnoreCase))
            {
                throw new BearerTokenException($"the token endpoint gave a token of type '{type.GetString()}', not bearer");
            }
            var lifetime = UnstatedLifetime;
            if (root.TryGetProperty("expires_in", out var expires))
            {
                // RFC 6749 says a number; some servers send it as a string.
                var seconds = expires.ValueKind switch
                {
                    JsonValueKind.Number when expires.TryGetInt64(out var n) => n,
                    JsonValueKind.String when long.TryParse(expires.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
                    _ => -1L,
                };
                if (seconds < 0)
                {
                    throw new BearerTokenException("the token endpoint's expires_in is not a number of seconds");
                }
                lifetime = TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.FromDays(365).TotalSeconds));
            }
            return (token, lifetime);
        }
    }

    /// <summary>The OAuth error code of a refusal (RFC 6749 §5.2), never the body itself, which might echo credentials.</summary>
    private static string Describe(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                && error.GetString() is { } code && code.All(c => c is >= ' ' and <= '~') && code.Length <= 100
                ? $" ({code})"
                : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static async Task<byte[]> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxAnswerBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }
        return buffer[..total];
    }

    private static BlockedAddressException? Blocked(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is BlockedAddressException blocked)
            {
                return blocked;
            }
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Endpoint {EndpointId}: OAuth 2.0 token fetched from {TokenUrl}, reused for {LifetimeSeconds} s less a minute")]
    private static partial void LogTokenFetched(ILogger logger, string endpointId, string tokenUrl, long lifetimeSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Endpoint {EndpointId}: the receiver answered 401, its OAuth 2.0 token is dropped")]
    private static partial void LogTokenRejected(ILogger logger, string endpointId);
}
