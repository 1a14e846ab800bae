using System.Text.Json;
using System.Text.Json.Serialization;

namespace Webhooks.Functions.Jobs;

/// <summary>
/// A <c>jobs</c> queue message: which job, and for a batch which range of items. Ids and ranges only, never payloads.
/// </summary>
internal sealed record JobMessage(
    [property: JsonPropertyName("job")] string JobId,
    [property: JsonPropertyName("from")] int From = 0,
    [property: JsonPropertyName("count")] int Count = 0)
{
    public string ToText() => JsonSerializer.Serialize(this);

    /// <summary>Null when the text is not a message of ours (it is logged and dropped, never retried).</summary>
    public static JobMessage? TryParse(string text)
    {
        try
        {
            var message = JsonSerializer.Deserialize<JobMessage>(text);
            return message is { JobId: not null } && message.From >= 0 && message.Count >= 0 ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
