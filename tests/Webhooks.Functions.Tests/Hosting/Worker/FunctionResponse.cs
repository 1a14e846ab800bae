using System.Net;
using System.Text.Json;

namespace Webhooks.Functions.Tests.Hosting.Worker;

/// <summary>What an HTTP function wrote to its response, as the Functions host would pass it on to the caller.</summary>
public sealed record FunctionResponse(int StatusCode, IHeaderDictionary Headers, string? ContentType, string Body)
{
    public HttpStatusCode Status => (HttpStatusCode)StatusCode;

    public JsonElement Json() => JsonDocument.Parse(Body).RootElement.Clone();
}
