using Webhooks.Functions.Hosting;
using Webhooks.Functions.Hosting.Worker;

namespace Webhooks.Functions.Tests.Hosting;

/// <summary>The composition root's one decision, and the worker's container: one executable, two hosts.</summary>
public sealed class AppHostTests
{
    [Fact]
    public void IsStartedByFunctionsHost_TheHostsArguments_IsTrue()
    {
        // The argument line the Functions host gives a .NET isolated worker (legacy switches first, then the worker's own).
        string[] args =
        [
            "--host", "127.0.0.1", "--port", "44321", "--workerId", "3f1c", "--requestId", "9b2e", "--grpcMaxMessageLength", "2147483647",
            "--functions-uri", "http://127.0.0.1:44321/", "--functions-worker-id", "3f1c", "--functions-request-id", "9b2e",
            "--functions-grpc-max-message-length", "2147483647",
        ];

        Assert.True(AppHost.IsStartedByFunctionsHost(args));
        Assert.True(AppHost.IsStartedByFunctionsHost(["--functions-uri=http://127.0.0.1:44321/"]));
    }

    [Theory]
    [InlineData]
    [InlineData("--urls=http://127.0.0.1:7071")]
    [InlineData("--environment", "Development", "--Admin:ApiKey=x")]
    [InlineData("--functions-urix", "http://127.0.0.1:1/")]
    public void IsStartedByFunctionsHost_AnythingElse_IsFalse(params string[] args) =>
        Assert.False(AppHost.IsStartedByFunctionsHost(args));

    [Fact]
    public void WorkerApp_Build_CanMakeEveryFunctionClass()
    {
        // A valid encryption key: outside Development nothing supplies one, and the services that need it are made here.
        using var host = WorkerApp.Build(["--functions-uri", "http://127.0.0.1:1/", "--Security:SecretEncryptionKey=" + Convert.ToBase64String(new byte[32])]);
        var classes = Worker.WorkerFunctions.All.Select(m => m.DeclaringType!).Distinct().ToList();

        Assert.Equal(["ApiFunctions", "DeliveryFunctions", "PortalFunctions", "QueueFunctions", "SweeperFunction"], classes.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.All(classes, c => Assert.NotNull(ActivatorUtilities.CreateInstance(host.Services, c)));
    }

    [Fact]
    public void WorkerServices_HaveNoPollerOrTimerOfTheirOwn_TheStandaloneAppHasBoth()
    {
        var standalone = WebhooksApp.CreateBuilder(["--environment=Development"]);
        var worker = new ServiceCollection();
        WorkerApp.AddServices(worker, standalone.Configuration, standalone.Environment);

        Assert.Contains(worker, d => d.ImplementationType == typeof(StorageStartup));
        Assert.DoesNotContain(worker, d => d.ImplementationType == typeof(QueuePollers) || d.ImplementationType == typeof(SweeperTimer));
        Assert.Contains(standalone.Services, d => d.ImplementationType == typeof(QueuePollers));
        Assert.Contains(standalone.Services, d => d.ImplementationType == typeof(SweeperTimer));
    }
}
