using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Webhooks.Functions.Api.Documentation;

/// <summary>
/// Completes the generated schemas: each <see cref="IApiExample{TSelf}"/> type gets its example, and each page of a
/// list (any record with a list of such items and <c>next_cursor</c>) an example made of its item's example; a
/// property left out when null (<c>JsonIgnoreCondition.WhenWritingNull</c>) is not required; a string property
/// with <see cref="AllowedValuesAttribute"/> gets its values as an enum.
/// </summary>
internal sealed class ApiSchemaDocumentation : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (context.JsonPropertyInfo is { } property)
        {
            if (property.AttributeProvider?.GetCustomAttributes(typeof(AllowedValuesAttribute), inherit: false) is [AllowedValuesAttribute allowed, ..])
            {
                schema.Enum = allowed.Values.Select(v => JsonValue.Create(v?.ToString()) as JsonNode).ToList()!;
            }
            return Task.CompletedTask;
        }
        foreach (var omittedWhenNull in context.JsonTypeInfo.Properties.Where(p =>
            p.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: false) is [JsonIgnoreAttribute { Condition: JsonIgnoreCondition.WhenWritingNull }]))
        {
            schema.Required?.Remove(omittedWhenNull.Name);
        }
        if (ExampleOf(context.JsonTypeInfo.Type) is { } example)
        {
            schema.Examples = [example];
        }
        return Task.CompletedTask;
    }

    public static JsonNode? ExampleOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IApiExample<>)))
        {
            var value = type.GetProperty(nameof(IApiExample<>.Example), BindingFlags.Public | BindingFlags.Static)!.GetValue(null);
            return JsonSerializer.SerializeToNode(value, type, ApiJson.Options);
        }
        return PageExample(type);
    }

    /// <summary>A page: one property is a list of example-bearing items, and one is <c>next_cursor</c>.</summary>
    private static JsonObject? PageExample(Type type)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        var list = properties.FirstOrDefault(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(IReadOnlyList<>));
        if (list is null || properties.All(p => p.Name != "NextCursor") || ExampleOf(list.PropertyType.GetGenericArguments()[0]) is not { } item)
        {
            return null;
        }
        return new JsonObject
        {
            [JsonNamingPolicy.SnakeCaseLower.ConvertName(list.Name)] = new JsonArray(item),
            ["next_cursor"] = Cursor.Encode("example"),
        };
    }
}
