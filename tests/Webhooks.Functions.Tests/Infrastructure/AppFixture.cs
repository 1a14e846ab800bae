namespace Webhooks.Functions.Tests.Infrastructure;

/// <summary>One app under test shared by the tests of a class (xunit class fixture).</summary>
public sealed class AppFixture : IAsyncLifetime
{
    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await TestApp.StartAsync();

    public async Task DisposeAsync() => await App.DisposeAsync();
}
