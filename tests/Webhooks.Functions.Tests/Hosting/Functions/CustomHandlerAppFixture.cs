using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Hosting.Functions;

/// <summary>One app in custom-handler mode shared by the tests of a class that leave no queue work behind.</summary>
public sealed class CustomHandlerAppFixture : IAsyncLifetime
{
    public TestApp App { get; private set; } = null!;

    public FunctionsHostClient Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await CustomHandlerApp.StartAsync();
        Host = new FunctionsHostClient(App.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        Host.Dispose();
        await App.DisposeAsync();
    }
}
