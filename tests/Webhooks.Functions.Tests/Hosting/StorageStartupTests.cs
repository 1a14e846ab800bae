using System.Net;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Functions.Hosting;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Hosting;

/// <summary>
/// The app answers its host within its start-up limit whatever storage is doing: the listener opens first, storage is
/// set up in the background, and until then storage-backed routes answer 503 with Retry-After.
/// </summary>
public sealed class StorageStartupTests
{
    private static readonly TimeSpan SetUpTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Start_StorageDown_ListensAnswering503WithRetryAfter_AndServesOnceStorageIsUp()
    {
        var azurite = await AzuriteProcess.StartOnDiskAsync();
        await using (azurite)
        {
            await azurite.StopAsync();
            await using var app = await TestApp.StartAsync(connectionString: azurite.ConnectionString, waitForStorage: false);
            using var client = app.Client(TestApp.AdminKey);

            var health = await client.GetAsync("/healthz");
            var problem = await health.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal(TimeSpan.FromSeconds(5), health.Headers.RetryAfter?.Delta);
            Assert.Contains("starting", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            await (await client.PostAsync("/v1/admin/teams", Json("""{"name":"too-early"}"""))).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            using var team = app.Client();
            await (await team.GetAsync("/v1/team")).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            // What needs no storage is served meanwhile.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json")).StatusCode);

            await azurite.StartAsync();
            await app.Services.GetRequiredService<StorageReadiness>().WaitAsync(CancellationToken.None).WaitAsync(SetUpTimeout);

            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await team.GetAsync("/v1/team")).StatusCode);
        }
    }

    [Fact]
    public async Task Start_StorageRefusesTheCredentials_KeepsRunningAndSaysWhyIn503()
    {
        var azurite = await AzuriteProcess.Shared;
        var wrongKey = azurite.ConnectionString.Replace(AzuriteProcess.AccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);

        await using var app = await TestApp.StartAsync(connectionString: wrongKey, waitForStorage: false);
        var readiness = app.Services.GetRequiredService<StorageReadiness>();
        await WaitUntilAsync(() => readiness.WaitingFor.Contains("authorize", StringComparison.Ordinal));
        using var client = app.Client(apiKey: null);
        var problem = await (await client.GetAsync("/healthz")).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);

        Assert.False(readiness.IsReady);
        Assert.Contains("role assignments", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(4, 8)]
    [InlineData(5, 15)]
    [InlineData(40, 15)]
    public void Backoff_StorageDown_DoublesUpTo15Seconds_AndNeverGivesUp(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), StorageStartupBackoff.Next(attempt, refusedFor: null));

    [Fact]
    public void Backoff_Refused_RetriesAsFastDuringRolePropagation_ThenEveryMinuteAsAConfigurationError()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), StorageStartupBackoff.Next(2, TimeSpan.FromMinutes(3)));
        Assert.False(StorageStartupBackoff.IsConfigurationError(TimeSpan.FromMinutes(14)));

        Assert.True(StorageStartupBackoff.IsConfigurationError(StorageStartupBackoff.AuthorizationGrace));
        Assert.Equal(TimeSpan.FromMinutes(1), StorageStartupBackoff.Next(2, StorageStartupBackoff.AuthorizationGrace));
    }

    [Fact]
    public async Task EnsureReady_NotReadyWithinTheWait_ThrowsSoTheHostRetriesTheMessage()
    {
        var time = new FakeTimeProvider();
        var readiness = new StorageReadiness();
        readiness.Waiting("storage is unreachable or too slow to answer");

        var waiting = readiness.EnsureReadyAsync(TimeSpan.FromMinutes(1), time, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));

        var error = await Assert.ThrowsAsync<StorageNotReadyException>(() => waiting);
        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureReady_ReadyWhileWaiting_Returns()
    {
        var time = new FakeTimeProvider();
        var readiness = new StorageReadiness();

        var waiting = readiness.EnsureReadyAsync(TimeSpan.FromMinutes(1), time, CancellationToken.None);
        readiness.SetReady();

        await waiting;
        Assert.True(readiness.IsReady);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < SetUpTimeout, "The condition never held.");
            await Task.Delay(50);
        }
    }
}
