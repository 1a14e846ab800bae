using System.Text.Json;

namespace Webhooks.Receiver;

/// <summary>The JSON conventions of Webhooks.Functions payloads: snake_case property names, strict numbers.</summary>
public static class WebhookJson
{
    /// <summary>
    /// Serializer options matching the payloads (snake_case, numbers never read from strings). Shared and read-only;
    /// use them to deserialize <see cref="WebhookEnvelope.Data"/> into your own types.
    /// </summary>
    public static JsonSerializerOptions SerializerOptions { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
