using System.Globalization;
using System.Text;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// Reads whole HTTP/1.1 messages off a connection (Content-Length, chunked, or to the end of the stream), keeping the
/// body bytes as they came so that a proxy can relay them unchanged, cut them in half, or hold them.
/// </summary>
internal sealed class HttpWireReader(Stream stream)
{
    private const int MaxLine = 64 * 1024;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>The next request, or null when the peer closed the connection between messages.</summary>
    public Task<HttpWireMessage?> ReadRequestAsync(CancellationToken cancellationToken) => ReadAsync(requestMethod: null, cancellationToken);

    /// <summary>The next final response to a <paramref name="requestMethod"/> request (interim 1xx answers skipped), or null when the peer closed first.</summary>
    public async Task<HttpWireMessage?> ReadResponseAsync(string requestMethod, CancellationToken cancellationToken)
    {
        while (true)
        {
            var response = await ReadAsync(requestMethod, cancellationToken);
            if (response is null || response.Status >= 200)
            {
                return response;
            }
        }
    }

    private async Task<HttpWireMessage?> ReadAsync(string? requestMethod, CancellationToken cancellationToken)
    {
        var startLine = await ReadLineAsync(cancellationToken);
        if (startLine is null)
        {
            return null;
        }
        var headers = new List<string>();
        while (await ReadLineAsync(cancellationToken) is { Length: > 0 } line)
        {
            headers.Add(line);
        }
        var message = new HttpWireMessage(startLine, headers, [], CloseDelimited: false);
        var isResponse = requestMethod is not null;
        var status = isResponse ? message.Status : 0;
        if (isResponse && (requestMethod == "HEAD" || status is < 200 or 204 or 304))
        {
            return message;
        }
        if (message.Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
        {
            return message with { Body = await ReadChunkedAsync(cancellationToken) };
        }
        if (message.Header("Content-Length") is { } length)
        {
            return message with { Body = await ReadExactlyAsync(long.Parse(length, CultureInfo.InvariantCulture), cancellationToken) };
        }
        return isResponse ? message with { Body = await ReadToEndAsync(cancellationToken), CloseDelimited = true } : message;
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        var body = new MemoryStream();
        while (true)
        {
            var sizeLine = await ReadLineAsync(cancellationToken) ?? throw new IOException("The connection closed inside a chunked body.");
            Append(body, sizeLine + "\r\n");
            var size = long.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                // Trailers, then the empty line that ends the message.
                while (await ReadLineAsync(cancellationToken) is { Length: > 0 } trailer)
                {
                    Append(body, trailer + "\r\n");
                }
                Append(body, "\r\n");
                return body.ToArray();
            }
            body.Write(await ReadExactlyAsync(size + 2, cancellationToken));
        }
    }

    private async Task<byte[]> ReadExactlyAsync(long count, CancellationToken cancellationToken)
    {
        var bytes = new byte[count];
        var done = 0;
        while (done < count)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                throw new IOException("The connection closed inside a body.");
            }
            var n = (int)Math.Min(count - done, _end - _start);
            Array.Copy(_buffer, _start, bytes, done, n);
            _start += n;
            done += n;
        }
        return bytes;
    }

    private async Task<byte[]> ReadToEndAsync(CancellationToken cancellationToken)
    {
        var body = new MemoryStream();
        do
        {
            body.Write(_buffer, _start, _end - _start);
            _start = _end;
        }
        while (await FillAsync(cancellationToken));
        return body.ToArray();
    }

    /// <summary>One line without its CRLF; null when the stream ended before any byte of it.</summary>
    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new MemoryStream();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                return line.Length == 0 ? null : throw new IOException("The connection closed inside a line.");
            }
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var stop = newline < 0 ? _end : newline;
            line.Write(_buffer, _start, stop - _start);
            _start = newline < 0 ? _end : newline + 1;
            if (line.Length > MaxLine)
            {
                throw new IOException("A header line is too long.");
            }
            if (newline >= 0)
            {
                var text = Encoding.Latin1.GetString(line.ToArray());
                return text.EndsWith('\r') ? text[..^1] : text;
            }
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await stream.ReadAsync(_buffer, cancellationToken);
        return _end > 0;
    }

    private static void Append(MemoryStream body, string text) => body.Write(Encoding.Latin1.GetBytes(text));
}
