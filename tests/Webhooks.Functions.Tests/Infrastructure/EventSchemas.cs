extern alias JsonSchemaNet;

using System.Text.Json;
using System.Text.Json.Nodes;
using JsonSchemaNet::Json.Schema;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// The repository's <c>schemas/</c> (SPEC §11), one JSON Schema per event type, as the tests hold every delivery
/// they receive to them. JsonSchema.Net evaluates draft 2020-12 in full (see Directory.Packages.props).
/// </summary>
public static class EventSchemas
{
    private static readonly Lazy<IReadOnlyDictionary<string, JsonSchema>> Loaded = new(Load);

    public static string Folder => Path.Combine(RepositoryPaths.Root, "schemas");

    /// <summary>Each schema by the event type its file is named after.</summary>
    public static IReadOnlyDictionary<string, JsonSchema> ByType => Loaded.Value;

    /// <summary>
    /// What is wrong with a received body: the event type is the <c>X-Webhook-Event</c> header, else the body's
    /// <c>object</c>; the schema's <c>const</c> on <c>object</c> then also catches a header and body that disagree.
    /// Empty when the body conforms.
    /// </summary>
    public static IReadOnlyList<string> ViolationsOfDelivery(string? eventTypeHeader, byte[] body)
    {
        JsonNode? envelope;
        try
        {
            envelope = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            return [$"the body is not JSON: {e.Message}"];
        }
        var type = string.IsNullOrEmpty(eventTypeHeader)
            ? (envelope as JsonObject)?["object"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null
            : eventTypeHeader;
        if (type is null)
        {
            return ["neither an X-Webhook-Event header nor the body's object names the event type"];
        }
        if (!ByType.TryGetValue(type, out var schema))
        {
            return [$"no schema for the event type '{type}' in schemas/"];
        }
        return Violations(schema, envelope).Select(v => $"{type}: {v}").ToList();
    }

    /// <summary>What makes <paramref name="schema"/> no valid draft 2020-12 JSON Schema (its meta-schema's verdict).</summary>
    public static IReadOnlyList<string> MetaSchemaViolations(JsonNode schema) => Violations(MetaSchemas.Draft202012, schema);

    /// <summary>Each failed assertion of <paramref name="schema"/> on <paramref name="instance"/>, with where it failed.</summary>
    public static IReadOnlyList<string> Violations(JsonSchema schema, JsonNode? instance)
    {
        ArgumentNullException.ThrowIfNull(schema);
        EvaluationResults results;
        // One evaluation at a time per schema: receivers take concurrent requests, and a schema keeps state it builds
        // on its first evaluation.
        lock (schema)
        {
            results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        }
        if (results.IsValid)
        {
            return [];
        }
        var errors = (results.Details ?? [])
            .Where(d => d.HasErrors)
            .SelectMany(d => d.Errors!.Select(e => $"at '{d.InstanceLocation}' ({d.EvaluationPath}) {e.Key}: {e.Value}"))
            .ToList();
        return errors.Count > 0 ? errors : ["does not conform (no detail reported)"];
    }

    private static Dictionary<string, JsonSchema> Load() =>
        Directory.GetFiles(Folder, "*.json").ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => JsonSchema.FromFile(f), StringComparer.Ordinal);
}
