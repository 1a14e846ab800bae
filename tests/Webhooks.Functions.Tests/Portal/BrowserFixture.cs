using Microsoft.Playwright;
using Webhooks.Functions.Tests.Events;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Portal;

/// <summary>
/// The real app (fast retries, as the delivery log tests use) and a real headless Chromium driven by Playwright.
/// Playwright's own browser download needs the internet, so the fixture drives the system's Chromium (Debian's
/// <c>chromium</c> package, which <c>./build.sh test</c> installs), or the one <c>WEBHOOKS_CHROMIUM</c> names.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private const string DefaultChromium = "/usr/bin/chromium";

    /// <summary>Chromium's background traffic (updates, sync, QUIC probes) is off: the tests reach only the app.</summary>
    private static readonly string[] ChromiumArguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    public TestApp App { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("WEBHOOKS_CHROMIUM") is { Length: > 0 } configured ? configured : DefaultChromium;
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException(
                $"The browser tests need Chromium at {chromium}: install Debian's 'chromium' package (./build.sh test does) or set WEBHOOKS_CHROMIUM.");
        }
        App = await TestApp.StartAsync(EventLogKit.FastDelivery());
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ChromiumArguments,
        });
    }

    /// <summary>A fresh browser profile (no cookies) at a laptop's width, or at <paramref name="width"/> × <paramref name="height"/>.</summary>
    public Task<IPage> NewPageAsync(int width = 1280, int height = 900) => NewPageAsync(App, width, height);

    /// <summary>The same, for another app than the fixture's.</summary>
    public async Task<IPage> NewPageAsync(TestApp app, int width = 1280, int height = 900)
    {
        ArgumentNullException.ThrowIfNull(app);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }
}
