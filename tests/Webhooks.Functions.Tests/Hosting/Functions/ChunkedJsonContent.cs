using System.Net;
using System.Text;

namespace Webhooks.Functions.Tests.Hosting.Functions;

/// <summary>The host sends an <c>ObjectContent</c> without a length, so its invocation bodies arrive chunked.</summary>
public sealed class ChunkedJsonContent : HttpContent
{
    private readonly byte[] _body;

    public ChunkedJsonContent(string json)
    {
        _body = Encoding.UTF8.GetBytes(json);
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_body).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
