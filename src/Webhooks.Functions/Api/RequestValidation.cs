using System.Text.Json;

namespace Webhooks.Functions.Api;

/// <summary>
/// Reads fields of a parsed JSON body and collects every problem under the JSON path of its field
/// (<c>items[3].url</c>), so that one answer names all of them.
/// </summary>
internal sealed class RequestValidation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public void Add(string path, string message)
    {
        if (!_errors.TryGetValue(path, out var list))
        {
            _errors[path] = list = [];
        }
        list.Add(message);
    }

    /// <summary>Every problem as one readable sentence, "field problem", for a page that shows them to a person.</summary>
    public IEnumerable<string> Messages =>
        _errors.SelectMany(e => e.Value.Select(message => e.Key.Length == 0 ? message : $"{e.Key} {message}"));

    public IResult ToProblem() => ApiProblems.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));

    /// <summary>The property, or null when absent or JSON null.</summary>
    public static JsonElement? Property(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string? OptionalString(JsonElement obj, string name, string path, int maxLength)
    {
        if (Property(obj, name) is not { } value)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            Add(path, "must be a string.");
            return null;
        }
        var text = value.GetString()!;
        if (text.Length > maxLength)
        {
            Add(path, $"must be at most {maxLength} characters.");
            return null;
        }
        return text;
    }

    public string? RequiredString(JsonElement obj, string name, string path, int maxLength)
    {
        if (Property(obj, name) is null)
        {
            Add(path, "is required.");
            return null;
        }
        var text = OptionalString(obj, name, path, maxLength);
        if (text is not null && text.Trim().Length == 0)
        {
            Add(path, "must not be empty.");
            return null;
        }
        return text;
    }

    public int? OptionalInteger(JsonElement obj, string name, string path, int min, int max)
    {
        if (Property(obj, name) is not { } value)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            Add(path, "must be an integer.");
            return null;
        }
        if (number < min || number > max)
        {
            Add(path, $"must be between {min} and {max}.");
            return null;
        }
        return (int)number;
    }

    public DateTimeOffset? OptionalTime(JsonElement obj, string name, string path)
    {
        var text = OptionalString(obj, name, path, 64);
        if (text is null)
        {
            return null;
        }
        if (!ApiTime.TryParse(text, out var time))
        {
            Add(path, "must be an ISO 8601 time such as 2025-01-15T10:00:00Z.");
            return null;
        }
        return time;
    }
}
