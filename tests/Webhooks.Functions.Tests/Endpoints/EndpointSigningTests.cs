using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Webhooks.Functions.Endpoints;
using Webhooks.Functions.Tests.Events;
using Webhooks.Functions.Tests.Infrastructure;
using Webhooks.Receiver;
using static Webhooks.Functions.Tests.Events.EventLogKit;
using static Webhooks.Functions.Tests.Infrastructure.HttpAssertions;

namespace Webhooks.Functions.Tests.Endpoints;

/// <summary>
/// SPEC §13: an endpoint's deliveries are signed with its own secret (the team's is not accepted), job webhooks with the
/// team's; Ed25519 <c>v1a</c> signatures, checked by two verifiers we did not write (Node's <c>crypto.verify</c> and
/// PyNaCl) from the <c>whpk_</c> key the API returned; rotation signs with both during the overlap; an endpoint row
/// written before endpoints had keys gets one on first use, once, and loses nothing.
/// </summary>
public sealed class EndpointSigningTests(EventLogFixture fixture) : IClassFixture<EventLogFixture>
{
    /// <summary>Debian's interpreter, for which <c>python3-nacl</c> is installed (./build.sh test installs it).</summary>
    private const string DebianPython = "/usr/bin/python3";

    private TestApp App => fixture.App;

    [Fact]
    public async Task EndpointDelivery_SignedWithTheEndpointSecret_NotTheTeams_JobWebhookWithTheTeams()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await using var endpointReceiver = await RecordingReceiver.StartAsync();
        await using var jobReceiver = await RecordingReceiver.StartAsync();
        var endpoint = await EndpointsKit.CreateAsync(client, $$"""{"url":"{{endpointReceiver.Url}}"}""");
        Assert.False(endpoint.GetProperty("asymmetric_signing").GetBoolean());
        var secret = await SecretAsync(client, EndpointsKit.Id(endpoint));
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.NotEqual(team.SigningSecret, secret);

        await RaiseAsync(App, team.Id, webhook: null);
        var toEndpoint = await OneRequestAsync(endpointReceiver);
        Assert.True(VerifiesStandard(toEndpoint, secret), "the endpoint's own secret must verify its delivery");
        Assert.False(VerifiesStandard(toEndpoint, team.SigningSecret), "the team's secret must not verify an endpoint's delivery");
        Assert.Equal(HexSignature(toEndpoint, secret), toEndpoint.Header("X-Webhook-Signature"));
        Assert.DoesNotContain("v1a,", toEndpoint.Header("webhook-signature"), StringComparison.Ordinal);

        await RaiseAsync(App, team.Id, jobReceiver.Url);
        var toJobWebhook = await OneRequestAsync(jobReceiver);
        Assert.True(VerifiesStandard(toJobWebhook, team.SigningSecret), "a job's webhook is signed with the team's secret");
        Assert.False(VerifiesStandard(toJobWebhook, secret));
        Assert.Equal(HexSignature(toJobWebhook, team.SigningSecret), toJobWebhook.Header("X-Webhook-Signature"));
    }

    [Fact]
    public async Task AsymmetricEndpoint_DeliveryCarriesV1a_VerifiedByNodeAndPyNaClFromTheReturnedKey()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await using var receiver = await RecordingReceiver.StartAsync();
        var endpoint = await EndpointsKit.CreateAsync(client, $$"""{"url":"{{receiver.Url}}","asymmetric_signing":true}""");
        var id = EndpointsKit.Id(endpoint);
        Assert.True(endpoint.GetProperty("asymmetric_signing").GetBoolean());
        var key = Assert.Single(await PublicKeysAsync(client, $"/v1/endpoints/{id}/public-keys"));
        var publicKey = AssertPublicKey(key);
        Assert.Equal(JsonValueKind.Null, key.GetProperty("expires_at").ValueKind);
        var secret = await SecretAsync(client, id);

        await RaiseAsync(App, team.Id, webhook: null);
        var request = await OneRequestAsync(receiver);
        var entries = request.Header("webhook-signature").Split(' ');
        Assert.Single(entries, e => e.StartsWith("v1,", StringComparison.Ordinal));
        var v1a = Assert.Single(entries, e => e.StartsWith("v1a,", StringComparison.Ordinal));
        Assert.True(VerifiesStandard(request, secret), "the v1 entry still verifies beside v1a");

        Assert.Equal("node ok", await VerifyWithNodeAsync(publicKey, request, v1a));
        Assert.Equal("pynacl ok", await VerifyWithPyNaClAsync(publicKey, request, v1a));
        var tampered = request with { Body = [.. request.Body, (byte)' '] };
        Assert.Equal("node rejected", await VerifyWithNodeAsync(publicKey, tampered, v1a));
        Assert.Equal("pynacl rejected", await VerifyWithPyNaClAsync(publicKey, tampered, v1a));

        // The receiver library accepts it with the public key alone, and not with another key.
        Assert.True(Verify(request, publicKeys: [publicKey]).IsValid);
        Assert.False(Verify(request, publicKeys: [NewPublicKey()]).IsValid);
    }

    [Fact]
    public async Task Rotate_AsymmetricEndpoint_DuringOverlapBothSecretsAndBothKeysSign()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await using var receiver = await RecordingReceiver.StartAsync();
        var id = EndpointsKit.Id(await EndpointsKit.CreateAsync(client, $$"""{"url":"{{receiver.Url}}","asymmetric_signing":true}"""));
        var oldSecret = await SecretAsync(client, id);
        var oldKey = AssertPublicKey(Assert.Single(await PublicKeysAsync(client, $"/v1/endpoints/{id}/public-keys")));

        var before = TimeProvider.System.GetUtcNow();
        var rotated = await (await client.PostAsync($"/v1/endpoints/{id}/signing-secret/rotate", null)).AssertJsonAsync(HttpStatusCode.OK);
        var newSecret = rotated.GetProperty("signing_secret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(newSecret, await SecretAsync(client, id));
        var expires = DateTimeOffset.Parse(rotated.GetProperty("previous_expires_at").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(expires, before.AddHours(24).AddSeconds(-2), TimeProvider.System.GetUtcNow().AddHours(24).AddSeconds(2));
        var keys = await PublicKeysAsync(client, $"/v1/endpoints/{id}/public-keys");
        Assert.Equal(2, keys.Count);
        var newKey = AssertPublicKey(keys[0]);
        Assert.Equal(JsonValueKind.Null, keys[0].GetProperty("expires_at").ValueKind);
        Assert.Equal(oldKey, keys[1].GetProperty("public_key").GetString());
        Assert.Equal(expires, DateTimeOffset.Parse(keys[1].GetProperty("expires_at").GetString()!, CultureInfo.InvariantCulture));

        await RaiseAsync(App, team.Id, webhook: null);
        var request = await OneRequestAsync(receiver);
        var entries = request.Header("webhook-signature").Split(' ');
        Assert.Equal(2, entries.Count(e => e.StartsWith("v1,", StringComparison.Ordinal)));
        Assert.Equal(2, entries.Count(e => e.StartsWith("v1a,", StringComparison.Ordinal)));
        Assert.True(VerifiesStandard(request, oldSecret) && VerifiesStandard(request, newSecret));
        Assert.Equal(HexSignature(request, newSecret), request.Header("X-Webhook-Signature"));
        Assert.True(Verify(request, publicKeys: [oldKey]).IsValid, "a receiver still holding the old public key must accept it");
        Assert.True(Verify(request, publicKeys: [newKey]).IsValid, "a receiver already holding the new public key must accept it");
        Assert.True(Verify(request, secrets: [oldSecret]).IsValid && Verify(request, secrets: [newSecret]).IsValid);
        Assert.False(Verify(request, secrets: [team.SigningSecret]).IsValid);
    }

    [Fact]
    public async Task TeamAsymmetricSigning_PatchedOn_JobWebhookCarriesV1aOfTheTeamKey_RotationAddsAKey()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await using var receiver = await RecordingReceiver.StartAsync();
        Assert.False((await client.GetJsonAsync("/v1/team")).GetProperty("asymmetric_signing").GetBoolean());
        Assert.Empty(await PublicKeysAsync(client, "/v1/team/public-keys"));

        var patched = await (await client.PatchAsync("/v1/team", Json("""{"asymmetric_signing":true}"""))).AssertJsonAsync(HttpStatusCode.OK);
        Assert.True(patched.GetProperty("asymmetric_signing").GetBoolean());
        Assert.True((await client.GetJsonAsync("/v1/team")).GetProperty("asymmetric_signing").GetBoolean());
        var teamKey = AssertPublicKey(Assert.Single(await PublicKeysAsync(client, "/v1/team/public-keys")));

        await RaiseAsync(App, team.Id, receiver.Url);
        var request = await OneRequestAsync(receiver);
        var v1a = Assert.Single(request.Header("webhook-signature").Split(' '), e => e.StartsWith("v1a,", StringComparison.Ordinal));
        Assert.Equal("node ok", await VerifyWithNodeAsync(teamKey, request, v1a));
        Assert.True(VerifiesStandard(request, team.SigningSecret));

        await (await client.PostAsync("/v1/team/signing-secret/rotate", null)).AssertJsonAsync(HttpStatusCode.OK);
        var keys = await PublicKeysAsync(client, "/v1/team/public-keys");
        Assert.Equal(2, keys.Count);
        Assert.Equal(teamKey, keys[1].GetProperty("public_key").GetString());
        // The test ping is signed like every attempt: both team keys during the overlap.
        await using var pinged = await RecordingReceiver.StartAsync();
        await (await client.PostAsync("/v1/webhooks/test", Json($$"""{"url":"{{pinged.Url}}"}"""))).AssertJsonAsync(HttpStatusCode.OK);
        var ping = await OneRequestAsync(pinged);
        Assert.Equal(2, ping.Header("webhook-signature").Split(' ').Count(e => e.StartsWith("v1a,", StringComparison.Ordinal)));
        Assert.True(Verify(ping, publicKeys: [teamKey]).IsValid && Verify(ping, publicKeys: [keys[0].GetProperty("public_key").GetString()!]).IsValid);

        await (await client.PatchAsync("/v1/team", Json("""{"asymmetric_signing":false}"""))).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Empty(await PublicKeysAsync(client, "/v1/team/public-keys"));
    }

    [Fact]
    public async Task EndpointRowWithoutSecret_GetsOneOnFirstUse_OnceEvenWhenRaced_AndLosesNothing()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        await using var receiver = await RecordingReceiver.StartAsync();
        var id = EndpointsKit.Id(await EndpointsKit.CreateAsync(client, $$"""{"url":"{{receiver.Url}}","description":"older","rate_limit_per_s":40}"""));
        var table = Table(App, "endpoints");
        // The row as it was before endpoints had keys of their own.
        var row = (await table.GetEntityAsync<TableEntity>(team.Id, id)).Value;
        Assert.True(row.ContainsKey(nameof(EndpointEntity.EncryptedSigningKeys)));
        row.Remove(nameof(EndpointEntity.EncryptedSigningKeys));
        row.Remove(nameof(EndpointEntity.AsymmetricSigning));
        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
        var older = (await table.GetEntityAsync<TableEntity>(team.Id, id)).Value;
        Assert.False(older.ContainsKey(nameof(EndpointEntity.EncryptedSigningKeys)));
        var before = await client.GetJsonAsync($"/v1/endpoints/{id}");

        // Two instances that read the row without keys race to give it some: one set wins, both use it.
        var stale = (await table.GetEntityAsync<EndpointEntity>(team.Id, id)).Value;
        var signing = App.Services.GetRequiredService<EndpointSigning>();
        var raced = await Task.WhenAll(signing.KeysAsync(stale, CancellationToken.None), signing.KeysAsync(stale, CancellationToken.None));
        Assert.Equal(raced[0]!.NewestSecret.Secret, raced[1]!.NewestSecret.Secret);

        var secret = await SecretAsync(client, id);
        Assert.Equal(raced[0]!.NewestSecret.Secret, secret);
        Assert.Equal(secret, await SecretAsync(client, id));
        await RaiseAsync(App, team.Id, webhook: null);
        var request = await OneRequestAsync(receiver);
        Assert.True(VerifiesStandard(request, secret));
        Assert.False(VerifiesStandard(request, team.SigningSecret));

        var migrated = (await table.GetEntityAsync<TableEntity>(team.Id, id)).Value;
        foreach (var (column, value) in older)
        {
            if (column is not ("odata.etag" or "Timestamp"))
            {
                Assert.Equal(value, migrated[column]);
            }
        }
        Assert.Equal(before.GetRawText(), (await client.GetJsonAsync($"/v1/endpoints/{id}")).GetRawText());
    }

    [Fact]
    public async Task PatchAsymmetricSigning_OnThenOff_KeysFollowAndDeliveriesFollow()
    {
        var team = await CreateTeamAsync(App);
        using var client = App.Client(team.ApiKey);
        var id = EndpointsKit.Id(await EndpointsKit.CreateAsync(client));
        Assert.Empty(await PublicKeysAsync(client, $"/v1/endpoints/{id}/public-keys"));

        var on = await (await client.PatchAsync($"/v1/endpoints/{id}", Json("""{"asymmetric_signing":true}"""))).AssertJsonAsync(HttpStatusCode.OK);
        Assert.True(on.GetProperty("asymmetric_signing").GetBoolean());
        var key = AssertPublicKey(Assert.Single(await PublicKeysAsync(client, $"/v1/endpoints/{id}/public-keys")));

        var off = await (await client.PatchAsync($"/v1/endpoints/{id}", Json("""{"asymmetric_signing":false}"""))).AssertJsonAsync(HttpStatusCode.OK);
        Assert.False(off.GetProperty("asymmetric_signing").GetBoolean());
        Assert.Empty(await PublicKeysAsync(client, $"/v1/endpoints/{id}/public-keys"));
        await (await client.PatchAsync($"/v1/endpoints/{id}", Json("""{"asymmetric_signing":true}"""))).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(key, Assert.Single(await PublicKeysAsync(client, $"/v1/endpoints/{id}/public-keys")).GetProperty("public_key").GetString());

        var problem = await (await client.PatchAsync($"/v1/endpoints/{id}", Json("""{"asymmetric_signing":"on"}"""))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["asymmetric_signing"], problem.ErrorKeys());
    }

    [Fact]
    public async Task SigningRoutes_AnotherTeamsEndpoint_AreNotFound()
    {
        var owner = await CreateTeamAsync(App);
        var other = await CreateTeamAsync(App);
        using var ownerClient = App.Client(owner.ApiKey);
        using var otherClient = App.Client(other.ApiKey);
        var id = EndpointsKit.Id(await EndpointsKit.CreateAsync(ownerClient));
        var secret = await SecretAsync(ownerClient, id);

        await (await otherClient.GetAsync($"/v1/endpoints/{id}/signing-secret")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await otherClient.PostAsync($"/v1/endpoints/{id}/signing-secret/rotate", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await otherClient.GetAsync($"/v1/endpoints/{id}/public-keys")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(secret, await SecretAsync(ownerClient, id));
    }

    [Fact]
    public async Task EndpointKeys_LoggedAtEveryLevel_NoSecretOrSecretKeyIsLogged()
    {
        var logs = new Portal.RecordedLogs();
        var settings = FastDelivery();
        foreach (var category in new[] { "Default", "Microsoft.AspNetCore", "System.Net.Http.HttpClient", "Azure" })
        {
            settings[$"Logging:LogLevel:{category}"] = "Trace";
        }
        await using var app = await TestApp.StartAsync(settings, services => services.AddSingleton<ILoggerProvider>(logs)
            .AddLogging(logging => logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(level => level >= LogLevel.Warning)));
        var team = await CreateTeamAsync(app, "signing logs");
        using var client = app.Client(team.ApiKey);
        await using var receiver = await RecordingReceiver.StartAsync();
        var id = EndpointsKit.Id(await EndpointsKit.CreateAsync(client, $$"""{"url":"{{receiver.Url}}","asymmetric_signing":true}"""));
        await (await client.PostAsync($"/v1/endpoints/{id}/signing-secret/rotate", null)).AssertJsonAsync(HttpStatusCode.OK);
        await (await client.PatchAsync("/v1/team", Json("""{"asymmetric_signing":true}"""))).AssertJsonAsync(HttpStatusCode.OK);
        await RaiseAsync(app, team.Id, webhook: null);
        await OneRequestAsync(receiver);

        var endpoint = (await Table(app, "endpoints").GetEntityAsync<EndpointEntity>(team.Id, id)).Value;
        var ring = app.Services.GetRequiredService<EndpointSigning>().Read(endpoint)!;
        Assert.Equal(2, ring.Secrets.Count);
        Assert.Equal(2, ring.AsymmetricKeys.Count);
        Assert.Contains(logs.Lines, line => line.Contains(id, StringComparison.Ordinal));
        foreach (var secret in ring.Secrets.Select(s => s.Secret).Concat(ring.AsymmetricKeys.Select(k => k.SecretKey)).Append(team.SigningSecret))
        {
            Assert.DoesNotContain(logs.Lines, line => line.Contains(secret, StringComparison.Ordinal) || line.Contains(secret[6..], StringComparison.Ordinal));
        }
        Assert.DoesNotContain(logs.Lines, line => line.Contains("whsk_", StringComparison.Ordinal));
    }

    private static async Task<string> SecretAsync(HttpClient client, string endpointId) =>
        (await client.GetJsonAsync($"/v1/endpoints/{endpointId}/signing-secret")).GetProperty("signing_secret").GetString()!;

    private static async Task<List<JsonElement>> PublicKeysAsync(HttpClient client, string path) =>
        [.. (await client.GetJsonAsync(path)).GetProperty("data").EnumerateArray()];

    private static async Task<ReceivedRequest> OneRequestAsync(RecordingReceiver receiver) =>
        Assert.Single(await EventuallyAsync(() => Task.FromResult(receiver.Requests), r => r.Count >= 1, "the webhook"));

    /// <summary>Checks one entry of public-keys against SPEC §13 and RFC 7638, and answers its <c>whpk_</c> key.</summary>
    private static string AssertPublicKey(JsonElement key)
    {
        var publicKey = key.GetProperty("public_key").GetString()!;
        Assert.StartsWith("whpk_", publicKey, StringComparison.Ordinal);
        var raw = Convert.FromBase64String(publicKey["whpk_".Length..]);
        Assert.Equal(32, raw.Length);
        var jwk = key.GetProperty("jwk");
        Assert.Equal("OKP", jwk.GetProperty("kty").GetString());
        Assert.Equal("Ed25519", jwk.GetProperty("crv").GetString());
        var x = jwk.GetProperty("x").GetString()!;
        Assert.Equal(Base64Url(raw), x);
        var thumbprint = Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes("{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + x + "\"}")));
        Assert.Equal(thumbprint, jwk.GetProperty("kid").GetString());
        return publicKey;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static WebhookVerificationResult Verify(ReceivedRequest request, string[]? secrets = null, string[]? publicKeys = null)
    {
        var verifier = new WebhookVerifier(secrets ?? [], publicKeys ?? [], TimeProvider.System) { AcceptHexSignatures = false };
        return verifier.Verify(
            new WebhookSignatureHeaders
            {
                WebhookId = request.Header("webhook-id"),
                WebhookTimestamp = request.Header("webhook-timestamp"),
                WebhookSignature = request.Header("webhook-signature"),
            },
            request.Body);
    }

    private static string NewPublicKey()
    {
        using var key = NSec.Cryptography.Key.Create(NSec.Cryptography.SignatureAlgorithm.Ed25519);
        return "whpk_" + Convert.ToBase64String(key.PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey));
    }

    /// <summary>What the verifier scripts read on standard input: the key as the API gave it, and the request as received.</summary>
    private static string VerifierInput(string publicKey, ReceivedRequest request, string v1a) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["public_key"] = publicKey,
        ["id"] = request.Header("webhook-id"),
        ["timestamp"] = request.Header("webhook-timestamp"),
        ["body"] = Convert.ToBase64String(request.Body),
        ["signature"] = v1a["v1a,".Length..],
    });

    // Node's built-in crypto: the whpk_ key becomes a JWK, the signed content is {id}.{timestamp}.{body} as bytes.
    private const string NodeVerifier = """
        const crypto = require('crypto');
        const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
        const raw = Buffer.from(input.public_key.slice('whpk_'.length), 'base64');
        const key = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
        const content = Buffer.concat([Buffer.from(`${input.id}.${input.timestamp}.`, 'utf8'), Buffer.from(input.body, 'base64')]);
        const ok = crypto.verify(null, content, key, Buffer.from(input.signature, 'base64'));
        process.stdout.write(ok ? 'node ok' : 'node rejected');
        """;

    private const string PyNaClVerifier = """
        import base64, json, sys
        from nacl.exceptions import BadSignatureError
        from nacl.signing import VerifyKey
        data = json.loads(sys.stdin.read())
        key = VerifyKey(base64.b64decode(data["public_key"][len("whpk_"):]))
        content = f"{data['id']}.{data['timestamp']}.".encode() + base64.b64decode(data["body"])
        try:
            key.verify(content, base64.b64decode(data["signature"]))
            sys.stdout.write("pynacl ok")
        except BadSignatureError:
            sys.stdout.write("pynacl rejected")
        """;

    private static Task<string> VerifyWithNodeAsync(string publicKey, ReceivedRequest request, string v1a) =>
        VerifierScript.RunAsync("node", "-e", NodeVerifier, VerifierInput(publicKey, request, v1a));

    private static Task<string> VerifyWithPyNaClAsync(string publicKey, ReceivedRequest request, string v1a) =>
        VerifierScript.RunAsync(DebianPython, "-c", PyNaClVerifier, VerifierInput(publicKey, request, v1a));
}
