using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Webhooks.Functions.Api.Documentation;

/// <summary>
/// Turns the metadata of <see cref="ApiDocumentationConventions"/> into the operation's security requirement,
/// parameters and response headers, and gives every answer a description and every problem answer an example.
/// </summary>
internal sealed class ApiOperationDocumentation : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;

        foreach (var security in metadata.OfType<ApiSecurityMetadata>().DistinctBy(s => s.Scheme))
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(security.Scheme, context.Document)] = [] });
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
        return Task.CompletedTask;
    }

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
