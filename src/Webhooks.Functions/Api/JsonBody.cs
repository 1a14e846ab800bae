using System.Text.Json;

namespace Webhooks.Functions.Api;

/// <summary>
/// Reads a request body as one JSON object, answering the client's mistakes with a problem document:
/// wrong content type → 415, malformed JSON or duplicate keys → 400, not an object → 400.
/// The whole body is kept so that idempotent replays can compare it byte for byte.
/// </summary>
internal sealed record JsonBody(JsonElement Root, byte[] Bytes)
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    public static async Task<(JsonBody? Body, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsJson(request.ContentType))
        {
            return (null, ApiProblems.UnsupportedMediaType());
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            // The JSON reader accepts invalid UTF-8 inside strings and fails only when a value is read as text.
            return (null, ApiProblems.BadRequest("The body is not valid UTF-8."));
        }
        try
        {
            using var document = JsonDocument.Parse(bytes, ParseOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, ApiProblems.BadRequest("The body must be a JSON object."));
            }
            return (new JsonBody(document.RootElement.Clone(), bytes), null);
        }
        catch (JsonException e)
        {
            return (null, ApiProblems.BadRequest($"The body is not valid JSON: {e.Message}"));
        }
    }

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }
        var mediaType = contentType.Split(';')[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }
}
