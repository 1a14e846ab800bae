using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Events;

/// <summary>One app with fast retries shared by a test class; each test makes its own team, so tests never see each other's events.</summary>
public sealed class EventLogFixture : IAsyncLifetime
{
    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await TestApp.StartAsync(EventLogKit.FastDelivery());

    public async Task DisposeAsync() => await App.DisposeAsync();
}
