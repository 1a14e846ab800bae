using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Webhooks.Functions.Api.Documentation;

/// <summary>
/// Turns the metadata of <see cref="ApiDocumentationConventions"/> into the operation's security requirement,
/// parameters and response headers, and gives every answer a description and every problem answer an example.
/// </summary>
internal sealed class ApiOperationDocumentation : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;

        foreach (var security in metadata.OfType<ApiSecurityMetadata>().DistinctBy(s => s.Scheme))
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(security.Scheme, context.Document)] = [] });
        }

        if (metadata.OfType<ApiRequestBodyMetadata>().FirstOrDefault() is { } body)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = !body.IsOptional,
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    [ApiDocumentationConventions.JsonContentType] = new() { Schema = await ComponentAsync(body.BodyType, context, cancellationToken) },
                },
            };
        }

        foreach (var parameter in metadata.OfType<ApiParameterMetadata>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = parameter.Name,
                In = parameter.Location == ApiParameterLocation.Query ? ParameterLocation.Query : ParameterLocation.Header,
                Description = parameter.Description,
                Schema = Schema(parameter),
            });
        }

        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse concrete)
            {
                continue;
            }
            var statusCode = int.Parse(status, CultureInfo.InvariantCulture);
            concrete.Description = ApiResponseDescriptions.For(statusCode);
            foreach (var header in metadata.OfType<ApiResponseHeaderMetadata>().Where(h => h.StatusCode == statusCode))
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.OrdinalIgnoreCase);
                concrete.Headers[header.Name] = new OpenApiHeader { Description = header.Description, Schema = Schema(header.Kind) };
            }
            if (concrete.Content is not null && concrete.Content.TryGetValue(ApiDocumentationConventions.ProblemContentType, out var problem))
            {
                problem.Example = ProblemExample(statusCode);
            }
        }
    }

    /// <summary>
    /// The body's schema as a named component, and so each documented record in it (<c>items</c> of
    /// <c>BatchItemRequest</c>), so that generated clients name their types after them rather than after the path.
    /// </summary>
    private static async Task<IOpenApiSchema> ComponentAsync(Type type, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document!;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        if (!document.Components.Schemas.ContainsKey(type.Name))
        {
            var schema = await context.GetOrCreateSchemaAsync(type, cancellationToken: cancellationToken);
            document.Components.Schemas[type.Name] = schema;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var isList = property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(IReadOnlyList<>);
                var valueType = isList ? property.PropertyType.GetGenericArguments()[0] : property.PropertyType;
                var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? ApiJson.Options.PropertyNamingPolicy!.ConvertName(property.Name);
                if (!IsDocumentedRecord(valueType) || schema.Properties is null || !schema.Properties.TryGetValue(name, out var propertySchema))
                {
                    continue;
                }
                var reference = await ComponentAsync(valueType, context, cancellationToken);
                if (isList && propertySchema is OpenApiSchema list)
                {
                    list.Items = reference;
                }
                else
                {
                    schema.Properties[name] = reference;
                }
            }
        }
        return new OpenApiSchemaReference(type.Name, document);
    }

    private static bool IsDocumentedRecord(Type type) =>
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IApiExample<>));

    private static OpenApiSchema Schema(ApiParameterMetadata parameter)
    {
        var schema = Schema(parameter.Kind);
        schema.Minimum = parameter.Minimum?.ToString(CultureInfo.InvariantCulture);
        schema.Maximum = parameter.Maximum?.ToString(CultureInfo.InvariantCulture);
        schema.MaxLength = parameter.MaxLength;
        if (parameter.AllowedValues is { } allowed)
        {
            schema.Enum = allowed.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
        }
        return schema;
    }

    private static OpenApiSchema Schema(ApiValueKind kind) => kind switch
    {
        ApiValueKind.Integer => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
        ApiValueKind.UriReference => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
        ApiValueKind.DateTime => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
        _ => new OpenApiSchema { Type = JsonSchemaType.String },
    };

    /// <summary>
    /// A problem document as the API writes it for <paramref name="statusCode"/> (see <see cref="ApiProblems"/>); its
    /// optional <c>type</c> link is left out, as ASP.NET Core chooses it.
    /// </summary>
    private static JsonObject ProblemExample(int statusCode)
    {
        var example = new JsonObject
        {
            ["title"] = ApiResponseDescriptions.Title(statusCode),
            ["status"] = statusCode,
            ["detail"] = ApiResponseDescriptions.ExampleDetail(statusCode),
        };
        if (statusCode == StatusCodes.Status400BadRequest)
        {
            example["title"] = ApiProblems.ValidationTitle;
            example["errors"] = new JsonObject
            {
                ["items[3].url"] = new JsonArray("must be an absolute http or https URL."),
                ["webhook"] = new JsonArray("must be at most 2048 characters."),
            };
        }
        return example;
    }
}
