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
        var configured = options.Value.ApiKey;
        if (string.IsNullOrEmpty(configured))
        {
            return ApiProblems.NotFound("The route");
        }
        var presented = BearerToken.Read(context.HttpContext.Request);
        if (presented is null || !CryptographicOperations.FixedTimeEquals(Hash(presented), Hash(configured)))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return ApiProblems.Unauthorized("An admin API key is required.");
        }
        return await next(context);
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
