using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>
/// An https receiver on 127.0.0.1 (Kestrel, a certificate of <see cref="TestCertificates"/>) that requires a client
/// certificate in the handshake and answers 200 only when its thumbprint is <see cref="ExpectedThumbprint"/>, else 403.
/// It records the thumbprint every request came with.
/// </summary>
public sealed class TlsReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string?> _presented = new();

    private TlsReceiver(WebApplication app) => _app = app;

    public required string ExpectedThumbprint { get; set; }

    public string Url { get; private set; } = "";

    public IReadOnlyList<string?> Presented => _presented.ToArray();

    public static async Task<TlsReceiver> StartAsync(X509Certificate2 serverCertificate, string expectedThumbprint)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = serverCertificate;
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            // The receiver judges the certificate itself, by thumbprint, and answers 403 to a wrong one.
            https.ClientCertificateValidation = (_, _, _) => true;
        })));
        var app = builder.Build();
        var receiver = new TlsReceiver(app) { ExpectedThumbprint = expectedThumbprint };
        app.Run(async context =>
        {
            var presented = context.Connection.ClientCertificate?.Thumbprint;
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            receiver._presented.Enqueue(presented);
            context.Response.StatusCode = presented == receiver.ExpectedThumbprint ? 200 : 403;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hooks").ToString();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
