using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Endpoints;
using Webhooks.Functions.Tests.Infrastructure;
using static Webhooks.Functions.Tests.Events.EventLogKit;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Events;

public sealed class SigningSecretRotationTests(EventLogFixture fixture) : IClassFixture<EventLogFixture>
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task Rotate_DuringOverlap_BothSecretsVerifyAndHexUsesNewSecret()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await using var receiver = await RecordingReceiver.StartAsync();
        var oldSecret = team.SigningSecret;

        var before = TimeProvider.System.GetUtcNow();
        var rotated = await (await client.PostAsync("/v1/team/signing-secret/rotate", null)).AssertJsonAsync(HttpStatusCode.OK);
        var newSecret = rotated.GetProperty("signing_secret").GetString()!;
        Assert.StartsWith("whsec_", newSecret, StringComparison.Ordinal);
        Assert.NotEqual(oldSecret, newSecret);
        var expires = DateTimeOffset.Parse(rotated.GetProperty("previous_expires_at").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(expires, before.AddHours(24).AddSeconds(-2), TimeProvider.System.GetUtcNow().AddHours(24).AddSeconds(2));
        Assert.Equal(newSecret, (await client.GetJsonAsync("/v1/team/signing-secret")).GetProperty("signing_secret").GetString());

        await RaiseAsync(App, team.Id, receiver.Url);
        var request = (await EventuallyAsync(() => Task.FromResult(receiver.Requests), r => r.Count == 1, "the webhook"))[0];

        Assert.Equal(2, request.Header("webhook-signature").Split(' ').Count(s => s.StartsWith("v1,", StringComparison.Ordinal)));
        Assert.True(VerifiesStandard(request, oldSecret), "a receiver still holding the old secret must accept it");
        Assert.True(VerifiesStandard(request, newSecret), "a receiver already holding the new secret must accept it");
        Assert.False(VerifiesStandard(request, "whsec_" + Convert.ToBase64String(new byte[32])));
        Assert.Equal(HexSignature(request, newSecret), request.Header("X-Webhook-Signature"));
        Assert.NotEqual(HexSignature(request, oldSecret), request.Header("X-Webhook-Signature"));
    }

    [Fact]
    public async Task Rotate_AfterTheOverlap_OnlyNewSecretSigns()
    {
        // Signing reads a clock of its own, moved past the overlap instead of waiting it out; the rotation and the
        // deliveries run on the real clock.
        var signingClock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var settings = FastDelivery();
        settings["Security:SecretRotationOverlap"] = "01:00:00";
        await using var app = await TestApp.StartAsync(settings,
            services => services.AddSingleton<ISigningKeys>(sp => ActivatorUtilities.CreateInstance<EndpointSigningKeys>(sp, signingClock)));
        var team = await CreateTeamAsync(app);
        using var client = app.Client(team.ApiKey);
        await using var receiver = await RecordingReceiver.StartAsync();

        var before = TimeProvider.System.GetUtcNow();
        var rotated = await (await client.PostAsync("/v1/team/signing-secret/rotate", null)).AssertJsonAsync(HttpStatusCode.OK);
        var newSecret = rotated.GetProperty("signing_secret").GetString()!;
        var expires = DateTimeOffset.Parse(rotated.GetProperty("previous_expires_at").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(expires, before.AddHours(1).AddSeconds(-2), TimeProvider.System.GetUtcNow().AddHours(1).AddSeconds(2));

        signingClock.SetUtcNow(TimeProvider.System.GetUtcNow());
        await RaiseAsync(app, team.Id, receiver.Url);
        var during = (await EventuallyAsync(() => Task.FromResult(receiver.Requests), r => r.Count == 1, "the webhook during the overlap"))[0];
        Assert.True(VerifiesStandard(during, team.SigningSecret) && VerifiesStandard(during, newSecret));

        // previous_expires_at is in whole seconds; one more second is past the exact expiry.
        signingClock.SetUtcNow(expires.AddSeconds(1));
        await RaiseAsync(app, team.Id, receiver.Url);
        var after = (await EventuallyAsync(() => Task.FromResult(receiver.Requests), r => r.Count == 2, "the webhook after the overlap"))[1];
        Assert.Single(after.Header("webhook-signature").Split(' '));
        Assert.True(VerifiesStandard(after, newSecret));
        Assert.False(VerifiesStandard(after, team.SigningSecret));
        Assert.Equal(HexSignature(after, newSecret), after.Header("X-Webhook-Signature"));
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("31.00:00:00")]
    public async Task Start_BadRotationOverlap_FailsNamingTheKey(string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Security:SecretRotationOverlap"] = value });
        });
        Assert.Contains("Security:SecretRotationOverlap", string.Join(" ", error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TeamSettings_PatchThenGet_ReturnsNewSettings()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await (await client.PatchAsync("/v1/team", Json("""{"retry_policy":"extended","default_webhook_url":"https://hooks.example.com/in"}""")))
            .AssertJsonAsync(HttpStatusCode.OK);
        var current = await client.GetJsonAsync("/v1/team");
        Assert.Equal(team.Id, current.GetProperty("id").GetString());
        Assert.Equal("extended", current.GetProperty("retry_policy").GetString());
        Assert.Equal("https://hooks.example.com/in", current.GetProperty("default_webhook_url").GetString());
        var problem = await (await client.PatchAsync("/v1/team", Json("""{"retry_policy":"hourly"}"""))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["retry_policy"], problem.ErrorKeys());
    }
}
