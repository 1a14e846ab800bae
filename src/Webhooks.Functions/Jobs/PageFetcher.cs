using System.Net.Sockets;
using AngleSharp.Html.Parser;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Outbound;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Jobs;

/// <summary>
/// Fetches one URL for a batch item or crawl page: GET with the per-fetch timeout and the guarded page-fetch client,
/// reads at most <see cref="JobsOptions.MaxBodyBytes"/>, stores a 2xx body in Blob Storage and extracts the title
/// (and links, for crawls) from HTML. Never throws for anything the remote side does; only cancellation escapes.
/// </summary>
internal sealed class PageFetcher : IDisposable
{
    private const int MaxTitleLength = 1000;
    private readonly IHttpClientFactory _clients;
    private readonly StorageAccount _storage;
    private readonly JobsOptions _options;
    private readonly SemaphoreSlim _slots;

    public PageFetcher(IHttpClientFactory clients, StorageAccount storage, IOptions<JobsOptions> options)
    {
        _clients = clients;
        _storage = storage;
        _options = options.Value;
        _slots = new SemaphoreSlim(_options.MaxConcurrentFetches);
    }

    private string TimedOut => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Timed out after {_options.FetchTimeout.TotalSeconds:0.###} s");

    public async Task<FetchResult> FetchAsync(Uri url, string blobName, bool extractLinks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await FetchCoreAsync(url, blobName, extractLinks, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>A small text resource (robots.txt): status and body (capped), or why it could not be fetched.</summary>
    public async Task<(int? StatusCode, string? Body, string? Reason)> FetchTextAsync(Uri url, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        await _slots.WaitAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.FetchTimeout);
        try
        {
            using var response = await SendAsync(url, timeout.Token);
            var (bytes, _) = await ReadCappedAsync(response, maxBytes, timeout.Token);
            return ((int)response.StatusCode, System.Text.Encoding.UTF8.GetString(bytes), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, null, TimedOut);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsRemoteFailure(e))
        {
            return (null, null, Describe(e));
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<FetchResult> FetchCoreAsync(Uri url, string blobName, bool extractLinks, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.FetchTimeout);
        try
        {
            using var response = await SendAsync(url, timeout.Token);
            var status = (int)response.StatusCode;
            if (status is < 200 or > 299)
            {
                var reason = status is >= 300 and < 400
                    ? $"Too many redirects (last answer HTTP {status} {Phrase(status)})"
                    : $"HTTP {status} {Phrase(status)}";
                return new FetchResult { Succeeded = false, StatusCode = status, Error = reason, Reason = $"{status} {Phrase(status)}" };
            }
            var (body, _) = await ReadCappedAsync(response, _options.MaxBodyBytes, timeout.Token);
            var contentType = response.Content.Headers.ContentType?.ToString();
            string? title = null;
            IReadOnlyList<Uri> links = [];
            if (IsHtml(response.Content.Headers.ContentType?.MediaType))
            {
                var finalUrl = response.RequestMessage?.RequestUri ?? url;
                (title, links) = ParseHtml(body, finalUrl, extractLinks);
            }
            var blob = _storage.Pages.GetBlobClient(blobName);
            await blob.UploadAsync(new BinaryData(body), new Azure.Storage.Blobs.Models.BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType ?? "application/octet-stream" },
            }, cancellationToken);
            return new FetchResult
            {
                Succeeded = true,
                StatusCode = status,
                Title = title,
                ContentType = contentType,
                ContentLength = body.Length,
                BlobName = blobName,
                Links = links,
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = TimedOut;
            return new FetchResult { Succeeded = false, Error = reason, Reason = reason };
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsRemoteFailure(e))
        {
            var reason = Describe(e);
            return new FetchResult { Succeeded = false, Error = reason, Reason = reason };
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Uri url, CancellationToken cancellationToken)
    {
        var client = _clients.CreateClient(HttpClientNames.PageFetch);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.UserAgent.ParseAdd(HttpClientNames.UserAgent);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>Reads at most <paramref name="maxBytes"/>; a longer body is cut there (never buffered whole).</summary>
    private static async Task<(byte[] Bytes, bool Truncated)> ReadCappedAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var declared = response.Content.Headers.ContentLength;
        using var buffer = new MemoryStream(declared is { } d && d < maxBytes ? (int)d : Math.Min(maxBytes, 64 * 1024));
        var chunk = new byte[16 * 1024];
        while (buffer.Length < maxBytes)
        {
            var read = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, maxBytes - buffer.Length)), cancellationToken);
            if (read == 0)
            {
                return (buffer.ToArray(), false);
            }
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), true);
    }

    private static (string? Title, IReadOnlyList<Uri> Links) ParseHtml(byte[] body, Uri pageUrl, bool extractLinks)
    {
        using var input = new MemoryStream(body, writable: false);
        using var document = new HtmlParser().ParseDocument(input);
        var title = document.Title is { } t ? CollapseWhitespace(t) : null;
        if (title is { Length: > MaxTitleLength })
        {
            title = title[..MaxTitleLength];
        }
        if (!extractLinks)
        {
            return (string.IsNullOrEmpty(title) ? null : title, []);
        }
        var baseUrl = pageUrl;
        if (document.QuerySelector("base[href]")?.GetAttribute("href") is { } baseHref && Uri.TryCreate(pageUrl, baseHref, out var declaredBase))
        {
            baseUrl = declaredBase;
        }
        var links = new List<Uri>();
        foreach (var anchor in document.QuerySelectorAll("a[href]"))
        {
            var href = anchor.GetAttribute("href")?.Trim();
            if (!string.IsNullOrEmpty(href) && Uri.TryCreate(baseUrl, href, out var target))
            {
                links.Add(target);
            }
        }
        return (string.IsNullOrEmpty(title) ? null : title, links);
    }

    private static string CollapseWhitespace(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static bool IsHtml(string? mediaType) =>
        mediaType is not null
        && (mediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) || mediaType.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase));

    private static string Phrase(int status) => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Unknown";

    private static bool IsRemoteFailure(Exception e) => e is HttpRequestException or IOException or SocketException or InvalidOperationException;

    /// <summary>A short reason a reader understands; the connector's own exceptions are found among the inner ones.</summary>
    private static string Describe(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case BlockedAddressException blocked:
                    return "Blocked: " + blocked.Message;
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return "Connection refused";
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return "DNS lookup failed";
                case SocketException { SocketErrorCode: SocketError.ConnectionReset }:
                    return "Connection reset";
                case SocketException { SocketErrorCode: SocketError.TimedOut }:
                    return "Connection timed out";
                default:
                    break;
            }
        }
        if (e is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError })
        {
            return "DNS lookup failed";
        }
        if (e is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError })
        {
            return "TLS handshake failed";
        }
        return "Connection failed: " + e.Message;
    }

    public void Dispose() => _slots.Dispose();
}
