using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Webhooks.Functions.Api.Documentation;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>, generated from the routes' metadata: what the API is, how it
/// authenticates, and the transformers that write the conventions' metadata into it.
/// </summary>
internal static class ApiDocumentation
{
    public const string DocumentName = "v1";
    public const string RoutePattern = "/openapi/{documentName}.json";

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services, Action<OpenApiOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer(DescribeApiAsync);
            options.AddOperationTransformer<ApiOperationDocumentation>();
            options.AddSchemaTransformer<ApiSchemaDocumentation>();
            configure(options);
        });
    }

    private static Task DescribeApiAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Webhooks.Functions API",
            Version = "v1",
            Description = """
                Batches fetch a list of URLs, crawls follow links from a start URL; when a job finishes, its event is
                delivered to your webhook as a signed POST and retried on a backoff schedule. Every event, delivery and
                attempt can be read, redelivered and recovered. Every error is an RFC 9457 problem document
                (`application/problem+json`). Bodies are JSON in snake_case; times are ISO 8601 UTC.
                """,
        };
        // The server is the host that answered; a base URL without a trailing slash joins with paths that start with one.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[ApiSecurity.TeamApiKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "Your team's API key (`whk_…`), sent as `Authorization: Bearer <api key>`.",
        };
        document.Components.SecuritySchemes[ApiSecurity.AdminApiKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The operator's `Admin:ApiKey`, sent as `Authorization: Bearer <admin key>`. Unconfigured, `/v1/admin` answers 404.",
        };
        document.Components.SecuritySchemes[ApiSecurity.WebhookSignature] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "webhook-signature",
            Description = "Webhooks we send are authenticated by their signatures: verify `webhook-signature` (Standard Webhooks) "
                + "or `X-Webhook-Signature` with your team's signing secret, and reject stale timestamps.",
        };
        document.Tags = new HashSet<OpenApiTag>(ApiTags.All.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
        return Task.CompletedTask;
    }
}
