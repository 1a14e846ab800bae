namespace Webhooks.Functions.Api.Documentation;

/// <summary>
/// The two ways the API authenticates a caller, as OpenAPI security schemes; a route group names the one it demands
/// (<see cref="ApiDocumentationConventions.RequiresAuthentication{TBuilder}"/>), the filter that enforces it lives beside.
/// </summary>
internal static class ApiSecurity
{
    /// <summary>A team's API key (<c>whk_…</c>) on every <c>/v1</c> route.</summary>
    public const string TeamApiKey = "team_api_key";

    /// <summary>The operator's <c>Admin:ApiKey</c> on <c>/v1/admin</c> routes.</summary>
    public const string AdminApiKey = "admin_api_key";

    /// <summary>How a receiver authenticates the webhooks we send it: by their signature headers.</summary>
    public const string WebhookSignature = "webhook_signature";
}
