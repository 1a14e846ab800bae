using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Outbound;

namespace Webhooks.Functions.Delivery;

/// <summary>
/// The HTTP sender of every attempt (<see cref="DeliveryAttemptActivity"/>, <see cref="OneShotDelivery"/>): one signed
/// HTTP POST of an event to a delivery's URL, classified into an <see cref="AttemptOutcome"/>.
/// No redirects are followed, at most 64 KiB of the answer is read and 1 KiB kept.
/// </summary>
internal sealed class WebhookSender(IHttpClientFactory clients, IAttemptOutbound outbound, IOptions<DeliveryOptions> options, TimeProvider time)
{
    public const int MaxResponseBytesRead = 64 * 1024;
    public const int MaxExcerptBytes = 1024;

    public Task<AttemptResult> SendAsync(
        DeliveryEntity delivery, DeliveredEvent evt, int attemptNumber, IReadOnlyList<SigningSecret> secrets, CancellationToken cancellationToken) =>
        SendAsync(delivery, evt, attemptNumber, SigningKeys.Symmetric(secrets), cancellationToken);

    public async Task<AttemptResult> SendAsync(
        DeliveryEntity delivery, DeliveredEvent evt, int attemptNumber, SigningKeys keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(evt);
        // One span per attempt, tagged with the ids a support question starts from, so it can be found in Application Insights.
        using var activity = Telemetry.Source.StartActivity("webhook.attempt", ActivityKind.Client);
        activity?.SetTag("event.id", evt.EventId);
        activity?.SetTag("delivery.id", delivery.DeliveryId);
        activity?.SetTag("delivery.attempt", DeliveryEntity.FormatAttempt(attemptNumber, delivery.MaxAttempts));
        var result = await SendCoreAsync(delivery, evt, attemptNumber, keys, cancellationToken);
        activity?.SetTag("delivery.outcome", result.Outcome);
        activity?.SetTag("http.response.status_code", result.StatusCode);
        if (!result.IsDelivered)
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.Error);
        }
        return result;
    }

    private async Task<AttemptResult> SendCoreAsync(
        DeliveryEntity delivery, DeliveredEvent evt, int attemptNumber, SigningKeys keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(keys);
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var attempt = DeliveryEntity.FormatAttempt(attemptNumber, delivery.MaxAttempts);
        var unixSeconds = startedAt.ToUnixTimeSeconds();
        var body = WebhookEnvelope.Write(evt.EventId, evt.Type, startedAt.ToUnixTimeMilliseconds(), attempt, evt.Data);

        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var timestamp = unixSeconds.ToString(CultureInfo.InvariantCulture);
        var headers = request.Headers;
        headers.TryAddWithoutValidation("User-Agent", HttpClientNames.UserAgent);
        headers.TryAddWithoutValidation(WebhookHeaders.Id, evt.EventId);
        headers.TryAddWithoutValidation(WebhookHeaders.Timestamp, timestamp);
        headers.TryAddWithoutValidation(WebhookHeaders.Signature, WebhookSigner.SignatureHeader(keys, evt.EventId, unixSeconds, body));
        headers.TryAddWithoutValidation(WebhookHeaders.Event, evt.Type);
        headers.TryAddWithoutValidation(WebhookHeaders.DeliveryId, delivery.DeliveryId);
        headers.TryAddWithoutValidation(WebhookHeaders.Attempt, attempt);
        headers.TryAddWithoutValidation(WebhookHeaders.HexTimestamp, timestamp);
        headers.TryAddWithoutValidation(WebhookHeaders.HexSignature, WebhookSigner.HexSignature(keys.Secrets[0], unixSeconds, body));
        var settings = await outbound.ForAttemptAsync(delivery, cancellationToken);
        foreach (var (name, value) in settings.Headers)
        {
            // A content header (Content-Language, Expires…) belongs on the content.
            if (!headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.AttemptTimeout);
        string? bearer = null;
        if (settings.Bearer is { } tokens)
        {
            try
            {
                bearer = await tokens.GetTokenAsync(timeout.Token);
            }
            catch (BearerTokenException e)
            {
                return Failed(e.Blocked ? AttemptOutcome.Blocked : e.TimedOut ? AttemptOutcome.Timeout : AttemptOutcome.ConnectionError, "oauth2: " + e.Message);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Failed(AttemptOutcome.Timeout, $"oauth2: no token within the attempt's {options.Value.AttemptTimeout.TotalSeconds:0.###} s");
            }
            headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        try
        {
            using var response = await (settings.Client ?? clients.CreateClient(HttpClientNames.Webhooks))
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var excerpt = await ReadExcerptAsync(response.Content, timeout.Token);
            var status = (int)response.StatusCode;
            if (status == 401 && bearer is not null)
            {
                settings.Bearer!.Reject(bearer);
            }
            var outcome = status switch
            {
                >= 200 and < 300 => AttemptOutcome.Delivered,
                410 => AttemptOutcome.Gone,
                >= 300 and < 400 => AttemptOutcome.Redirect,
                _ => AttemptOutcome.HttpError,
            };
            var error = outcome switch
            {
                AttemptOutcome.Delivered => null,
                AttemptOutcome.Redirect => $"HTTP {status}: redirects are not followed (Location: {response.Headers.Location})",
                AttemptOutcome.Gone => "HTTP 410 Gone: the receiver asked for no more deliveries",
                _ => $"HTTP {status} {response.ReasonPhrase}",
            };
            var retryAfter = status is 429 or 503 ? RetryAfter(response.Headers.RetryAfter, time.GetUtcNow()) : null;
            return new AttemptResult(outcome, status, excerpt, error, startedAt, time.GetElapsedTime(started), retryAfter);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(AttemptOutcome.Timeout, $"No answer within {options.Value.AttemptTimeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e) when (Find<BlockedAddressException>(e) is { } blocked)
        {
            return Failed(AttemptOutcome.Blocked, blocked.Message);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return Failed(AttemptOutcome.ConnectionError, Describe(e));
        }

        AttemptResult Failed(string outcome, string error) =>
            new(outcome, null, null, error, startedAt, time.GetElapsedTime(started), null);
    }

    /// <summary>Reads at most 64 KiB of the answer and keeps the first 1 KiB as text.</summary>
    private static async Task<string?> ReadExcerptAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxResponseBytesRead];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }
        if (total == 0)
        {
            return null;
        }
        var kept = Math.Min(total, MaxExcerptBytes);
        return Encoding.UTF8.GetString(buffer, 0, kept);
    }

    /// <summary>A <c>Retry-After</c> as a wait from <paramref name="now"/>: seconds as given, an HTTP date as the time left until it.</summary>
    internal static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    private static T? Find<T>(Exception e) where T : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }
        return null;
    }

    private static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            messages.Add(current.Message);
        }
        return string.Join(": ", messages.Distinct());
    }
}
