using System.Net;

namespace Webhooks.Functions.Hosting;

/// <summary>
/// Lets through only requests that the Functions host itself built for a queue or timer invocation; everything else
/// gets the same <c>404</c> as an unknown route, so the endpoints are not even advertised.
/// </summary>
/// <remarks>
/// Why these checks (docs/functions-host-contract.md, "Telling a host invocation from a forwarded public request"):
/// the catch-all <c>http</c> function forwards every public request to us with its path unchanged, so a public
/// <c>POST /deliveries</c> arrives on the same port as a real invocation, and it carries
/// <c>X-Azure-Functions-InvocationId</c> and the host's user agent too; no header is unique to invocations. What a
/// forwarded request cannot shed is its public <c>Host</c> (the host copies it, or <c>DISGUISED-HOST</c>) and the
/// front end's headers (<c>X-Forwarded-For</c> and friends), which Azure adds and a caller cannot remove. An
/// invocation is built from scratch by the host's <c>HttpClient</c>: <c>Host</c> is the loopback address and port it
/// chose, no front-end header, exactly one invocation id that is a GUID.
/// </remarks>
internal sealed class FunctionInvocationHostCheck(string port) : IEndpointFilter
{
    private static readonly string[] FrontEndHeaders =
    [
        "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Original-URL", "X-ARR-LOG-ID", "DISGUISED-HOST", "Client-IP",
    ];

    public const string InvocationIdHeader = "X-Azure-Functions-InvocationId";

    private readonly string[] _hostValues = [$"127.0.0.1:{port}", $"localhost:{port}"];

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return IsFromFunctionsHost(context.HttpContext)
            ? next(context)
            : ValueTask.FromResult<object?>(TypedResults.NotFound());
    }

    public bool IsFromFunctionsHost(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var hosts = request.Headers.Host;
        var invocationIds = request.Headers[InvocationIdHeader];
        return context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)
            && hosts.Count == 1 && _hostValues.Contains(hosts[0], StringComparer.OrdinalIgnoreCase)
            && !FrontEndHeaders.Any(request.Headers.ContainsKey)
            && invocationIds.Count == 1 && Guid.TryParse(invocationIds[0], out _);
    }
}
