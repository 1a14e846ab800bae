using System.Text.Json;

namespace Webhooks.Functions.Events;

/// <summary>
/// The JSON Schema of each event type's envelope (SPEC §11), read once at start from the <c>schemas/</c> folder that
/// ships beside the app (the repository's <c>schemas/</c>, copied to the build and publish output by the project).
/// A missing or unreadable schema stops the app at start rather than answering a partial catalog.
/// </summary>
internal sealed class EventTypeCatalog
{
    public const string FolderName = "schemas";

    private EventTypeCatalog(IReadOnlyList<EventTypeListItem> types) => Types = types;

    /// <summary>In the order of <see cref="EventTypes.All"/>.</summary>
    public IReadOnlyList<EventTypeListItem> Types { get; }

    public static string SchemaFileName(string eventType) => eventType + ".json";

    public static EventTypeCatalog Load(string folder)
    {
        var types = new List<EventTypeListItem>(EventTypes.All.Length);
        foreach (var eventType in EventTypes.All)
        {
            var path = Path.Combine(folder, SchemaFileName(eventType));
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"The JSON Schema of {eventType} is missing: {path}.");
            }
            // Cloned out of the document so that the element outlives it; served as read, never rewritten.
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var schema = document.RootElement.Clone();
            var description = schema.TryGetProperty("description", out var text) && text.ValueKind == JsonValueKind.String
                ? text.GetString()!
                : throw new InvalidOperationException($"The JSON Schema of {eventType} has no description: {path}.");
            types.Add(new EventTypeListItem(eventType, description, schema));
        }
        return new EventTypeCatalog(types);
    }
}
