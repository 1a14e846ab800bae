using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Jobs;

/// <summary>The app under test for jobs: short fetch timeout and delivery schedule so failures settle in seconds.</summary>
public sealed class JobsFixture : IAsyncLifetime
{
    public const string FetchTimeout = "00:00:01.5";

    public TestApp App { get; private set; } = null!;

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Jobs:FetchTimeout"] = FetchTimeout,
        ["Delivery:Policies:standard"] = "0s,200ms,400ms",
        ["Delivery:AttemptTimeout"] = "00:00:05",
    };

    public async Task InitializeAsync() => App = await TestApp.StartAsync(Settings());

    public async Task DisposeAsync() => await App.DisposeAsync();
}
