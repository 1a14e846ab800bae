using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Delivery;

public sealed class HostileReceiverFixture : IAsyncLifetime
{
    public TestApp App { get; private set; } = null!;
    public string TeamId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        App = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Delivery:Policies:standard"] = "0s,200ms",
            ["Delivery:AttemptTimeout"] = "00:00:01",
            ["Delivery:MaxConcurrentAttemptsPerHost"] = "4",
        });
        TeamId = await DeliveryTestKit.DevTeamIdAsync(App);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>Receivers that misbehave in every way we know of: each gets the SPEC outcome and none holds up others.</summary>
public sealed class HostileReceiverTests(HostileReceiverFixture fixture) : IClassFixture<HostileReceiverFixture>
{
    private async Task<AttemptEntity> FirstAttemptAsync(string url)
    {
        var raised = await DeliveryTestKit.RaiseAsync(fixture.App, fixture.TeamId, url);
        var delivery = await DeliveryTestKit.WaitForStatusAsync(fixture.App, raised.Deliveries[0], DeliveryStatus.Failed, TimeSpan.FromSeconds(20));
        Assert.Equal("2/2", delivery.Attempt);
        return (await DeliveryTestKit.ReadAttemptsAsync(fixture.App, delivery))[0];
    }

    [Fact]
    public async Task HangsPastTimeout_Timeout()
    {
        await using var receiver = await WebhookReceiver.StartAsync((_, context) => Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default));
        var attempt = await FirstAttemptAsync(receiver.Url);
        Assert.Equal(AttemptOutcome.Timeout, attempt.Outcome);
        Assert.Null(attempt.StatusCode);
    }

    [Fact]
    public async Task DripsAnswerSlowly_TimeoutCoversTheBody()
    {
        await using var receiver = await WebhookReceiver.StartAsync(async (_, context) =>
        {
            context.Response.StatusCode = 200;
            for (var i = 0; i < 50 && !context.RequestAborted.IsCancellationRequested; i++)
            {
                await context.Response.WriteAsync("x", context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                await context.Response.Body.FlushAsync(context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                await Task.Delay(100, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
        var attempt = await FirstAttemptAsync(receiver.Url);
        Assert.Equal(AttemptOutcome.Timeout, attempt.Outcome);
    }

    [Fact]
    public async Task ResetsConnection_ConnectionError()
    {
        await using var receiver = await WebhookReceiver.StartAsync((_, context) =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        var attempt = await FirstAttemptAsync(receiver.Url);
        Assert.Equal(AttemptOutcome.ConnectionError, attempt.Outcome);
        Assert.False(string.IsNullOrEmpty(attempt.Error));
    }

    [Fact]
    public async Task AnswersTenMegabytes_DeliveredAndOnlyOneKilobyteKept()
    {
        await using var receiver = await WebhookReceiver.StartAsync(async (_, context) =>
        {
            context.Response.StatusCode = 200;
            var chunk = new byte[64 * 1024];
            chunk.AsSpan().Fill((byte)'a');
            for (var i = 0; i < 160 && !context.RequestAborted.IsCancellationRequested; i++)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
        var raised = await DeliveryTestKit.RaiseAsync(fixture.App, fixture.TeamId, receiver.Url);
        var delivery = await DeliveryTestKit.WaitForStatusAsync(fixture.App, raised.Deliveries[0], DeliveryStatus.Delivered);
        var attempt = (await DeliveryTestKit.ReadAttemptsAsync(fixture.App, delivery)).Single();
        Assert.Equal(AttemptOutcome.Delivered, attempt.Outcome);
        Assert.Equal(1024, attempt.ResponseExcerpt!.Length);
    }

    [Fact]
    public async Task RetryAfterAsHttpDate_IsHonoured()
    {
        await using var receiver = await WebhookReceiver.StartAsync((n, context) =>
        {
            context.Response.StatusCode = n == 1 ? 503 : 200;
            context.Response.Headers.RetryAfter = TimeProvider.System.GetUtcNow().AddSeconds(3).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        var raised = await DeliveryTestKit.RaiseAsync(fixture.App, fixture.TeamId, receiver.Url);
        var delivery = await DeliveryTestKit.WaitForStatusAsync(fixture.App, raised.Deliveries[0], DeliveryStatus.Delivered, TimeSpan.FromSeconds(20));
        var attempts = await DeliveryTestKit.ReadAttemptsAsync(fixture.App, delivery);
        // An HTTP date has whole seconds: at least ~2 s later, where the policy alone would wait 200 ms.
        Assert.True(attempts[1].StartedAt - attempts[0].StartedAt >= TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task InvalidTlsCertificate_ConnectionError()
    {
        await using var server = await SelfSignedHttpsServer.StartAsync();
        var attempt = await FirstAttemptAsync(server.Url);
        Assert.Equal(AttemptOutcome.ConnectionError, attempt.Outcome);
        Assert.Contains("SSL", attempt.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task HangingReceiver_DoesNotHoldUpHealthyOnes()
    {
        var hangingGate = new TaskCompletionSource();
        await using var hanging = await WebhookReceiver.StartAsync((_, context) => hangingGate.Task.WaitAsync(context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default));
        await using var healthy = await WebhookReceiver.StartAsync();
        var stuck = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => DeliveryTestKit.RaiseAsync(fixture.App, fixture.TeamId, hanging.Url)));
        var fine = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => DeliveryTestKit.RaiseAsync(fixture.App, fixture.TeamId, healthy.Url)));

        foreach (var raised in fine)
        {
            await DeliveryTestKit.WaitForStatusAsync(fixture.App, raised.Deliveries[0], DeliveryStatus.Delivered);
        }
        // Four slots per host: the hanging receiver had seen only its first waves when every healthy delivery was done.
        Assert.True(hanging.Received.Count < stuck.Length, $"hanging receiver saw {hanging.Received.Count}");
        hangingGate.SetResult();
    }

    /// <summary>An HTTPS receiver whose certificate nobody trusts.</summary>
    private sealed class SelfSignedHttpsServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private SelfSignedHttpsServer(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public static async Task<SelfSignedHttpsServer> StartAsync()
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var now = TimeProvider.System.GetUtcNow();
            using var generated = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
            var certificate = X509CertificateLoader.LoadPkcs12(generated.Export(X509ContentType.Pfx), null);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
            var app = builder.Build();
            app.Run(context =>
            {
                context.Response.StatusCode = 200;
                return Task.CompletedTask;
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new SelfSignedHttpsServer(app, address + "/hooks");
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
