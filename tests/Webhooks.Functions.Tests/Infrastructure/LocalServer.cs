using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on 127.0.0.1 (port 0) that runs <c>handler</c> for every request: a test site or receiver.
/// Every webhook delivery it receives is checked against its event type's schema first (<see cref="Deliveries"/>), and
/// disposing it fails the test if one did not conform.
/// </summary>
public sealed class LocalServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalServer(WebApplication app, Uri baseAddress, DeliveryConformance deliveries)
    {
        _app = app;
        BaseAddress = baseAddress;
        Deliveries = deliveries;
    }

    public Uri BaseAddress { get; }

    public DeliveryConformance Deliveries { get; }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public static async Task<LocalServer> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var deliveries = new DeliveryConformance();
        app.Run(async context =>
        {
            await deliveries.CheckAsync(context);
            await handler(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)), deliveries);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Deliveries.AssertConformed();
    }
}
