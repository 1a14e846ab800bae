using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Api;

namespace Webhooks.Functions.Teams;

/// <summary><c>/v1/admin</c> routes: 404 when no admin key is configured (they do not exist), 401 for a wrong key.</summary>
internal sealed class AdminAuthenticationFilter(IOptions<AdminOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return Refusal(context.HttpContext, options.Value) ?? await next(context);
    }

    /// <summary>The answer to a request without the admin key (404 when none is configured), or null to let it through; for routes that are not route handlers too (<c>/metrics</c>).</summary>
    public static IResult? Refusal(HttpContext context, AdminOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var configured = options.ApiKey;
        if (string.IsNullOrEmpty(configured))
        {
            return ApiProblems.NotFound("The route");
        }
        var presented = BearerToken.Read(context.Request);
        if (presented is null || !CryptographicOperations.FixedTimeEquals(Hash(presented), Hash(configured)))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return ApiProblems.Unauthorized("An admin API key is required.");
        }
        return null;
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
