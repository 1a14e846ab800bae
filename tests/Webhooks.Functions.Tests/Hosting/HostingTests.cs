using System.Net;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Hosting;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Hosting;

public sealed class HostingTests
{
    [Fact]
    public async Task Healthz_StorageUp_Returns200_StorageDown_Returns503()
    {
        var azurite = await AzuriteProcess.StartOnDiskAsync();
        await using (azurite)
        {
            await using var app = await TestApp.StartAsync(connectionString: azurite.ConnectionString);
            using var client = app.Client(apiKey: null);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

            await azurite.StopAsync();
            await (await client.GetAsync("/healthz")).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            using var authenticated = app.Client(TestApp.AdminKey);
            await (await authenticated.PostAsync("/v1/admin/teams", Json("""{"name":"while-down"}"""))).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);

            await azurite.StartAsync();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        }
    }

    [Fact]
    public async Task AdminRoutes_WithoutAdminApiKeyConfigured_Answer404()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Admin:ApiKey"] = null });
        using var client = app.Client(TestApp.AdminKey);
        await (await client.PostAsync("/v1/admin/teams", Json("""{"name":"x"}"""))).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OpenApiAndDocs_AreServed()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client(apiKey: null);
        var openApi = await (await client.GetAsync("/openapi/v1.json")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/v1/team", out _));
        var docs = await client.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("text/html", docs.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Delivery:AttemptTimeout", "00:00:00")]
    [InlineData("Delivery:DefaultPolicy", "nope")]
    [InlineData("Delivery:Policies:fast", "1x,2s")]
    [InlineData("Delivery:Jitter", "3")]
    [InlineData("Storage:Prefix", "Bad_Prefix")]
    [InlineData("Security:SecretEncryptionKey", "short")]
    [InlineData("RateLimit:PermitsPerSecond", "0")]
    [InlineData("Admin:ApiKey", "@Microsoft.KeyVault(SecretUri=https://kv-webhooks.vault.azure.net/secrets/admin-api-key/)")]
    [InlineData("EventIndex:RepairMinAge", "2.00:00:00")]
    [InlineData("EventIndex:RepairLookback", "00:05:00")]
    [InlineData("Retention:Days", "0")]
    [InlineData("Retention:Days", "3651")]
    [InlineData("Retention:Days", "thirty")]
    [InlineData("Retention:Age", "00:00:00")]
    public async Task Start_BadConfiguration_FailsNamingTheKey(string key, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { [key] = value });
        });
        var messages = error is OptionsValidationException validation ? string.Join(" ", validation.Failures) : error.ToString();
        Assert.Contains(key, messages, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public async Task Standalone_SweeperEnabled_DecidesWhetherTheSweeperTimerRuns(string? enabled, bool runs)
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Sweeper:Enabled"] = enabled });
        Assert.Equal(runs, app.Services.GetServices<IHostedService>().Any(s => s is SweeperTimer));
    }

    [Fact]
    public async Task V1Route_OverTeamRateLimit_Returns429WithRetryAfter()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimit:PermitsPerSecond"] = "1",
            ["RateLimit:Burst"] = "3",
        });
        using var client = app.Client();
        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add(await client.GetAsync("/v1/team"));
        }
        var limited = statuses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, statuses[0].StatusCode);
    }
}
