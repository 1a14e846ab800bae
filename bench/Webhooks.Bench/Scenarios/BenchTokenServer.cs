using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Webhooks.Bench.Scenarios;

/// <summary>
/// An OAuth 2.0 token endpoint on 127.0.0.1 for the endpoint-costs scenario: every form POST gets a new bearer token
/// that lives an hour, so that after the first attempt the sender holds one and the figure measured is the cost of
/// holding it. It counts the tokens it issued.
/// </summary>
internal sealed class BenchTokenServer : IAsyncDisposable
{
    public const string ClientId = "bench-sender";
    public const string ClientSecret = "bench-secret";

    private WebApplication _app = null!;
    private int _issued;

    public Uri Url { get; private set; } = null!;

    public int Issued => Volatile.Read(ref _issued);

    public static async Task<BenchTokenServer> StartAsync()
    {
        var server = new BenchTokenServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/token", async context =>
        {
            var form = await context.Request.ReadFormAsync();
            if (form["grant_type"] != "client_credentials")
            {
                context.Response.StatusCode = 400;
                return;
            }
            var number = Interlocked.Increment(ref server._issued);
            await context.Response.WriteAsJsonAsync(new { access_token = $"bench-token-{number}", token_type = "Bearer", expires_in = 3600 });
        });
        await app.StartAsync();
        server._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(new Uri(address), "/token");
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
