using System.Globalization;

namespace Webhooks.Functions.Api;

/// <summary>
/// Every <c>/v1</c> route: a valid <c>Authorization: Bearer</c> API key (else 401 with <c>WWW-Authenticate</c>), then
/// the team's rate limit (else 429 with <c>Retry-After</c>).
/// </summary>
internal sealed class ApiKeyAuthenticationFilter(IApiKeyTeams teams, TeamRateLimiter rateLimiter) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var apiKey = BearerToken.Read(http.Request);
        var teamId = apiKey is null ? null : await teams.FindTeamIdByApiKeyAsync(apiKey, http.RequestAborted);
        if (teamId is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return ApiProblems.Unauthorized(apiKey is null
                ? "Send your API key as 'Authorization: Bearer <api key>'."
                : "The API key is not valid.");
        }

        if (rateLimiter.TryAcquire(teamId) is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests",
                detail: "The team's request rate limit was exceeded; retry after the time in Retry-After.");
        }

        CurrentTeam.Set(http, teamId);
        return await next(context);
    }
}
