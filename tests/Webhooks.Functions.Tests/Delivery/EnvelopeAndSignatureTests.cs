using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Tests.Infrastructure;

namespace Webhooks.Functions.Tests.Delivery;

public sealed class EnvelopeAndSignatureTests
{
    [Fact]
    public void StandardSignature_PublishedTestVector_Matches()
    {
        // The Standard Webhooks specification's example vector.
        var secret = new SigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", default, null);
        var signature = WebhookSigner.StandardSignatures([secret], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
            Encoding.UTF8.GetBytes("""{"test": 2432232314}"""));
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void StandardSignature_TwoSecrets_SpaceSeparated()
    {
        var a = SigningSecret.Create(default);
        var b = SigningSecret.Create(default);
        var body = Encoding.UTF8.GetBytes("{}");
        var both = WebhookSigner.StandardSignatures([a, b], "event_x", 1, body);
        Assert.Equal(WebhookSigner.StandardSignatures([a], "event_x", 1, body) + " " + WebhookSigner.StandardSignatures([b], "event_x", 1, body), both);
    }

    [Fact]
    public void HexSignature_KeyIsWholeSecretString()
    {
        var secret = new SigningSecret("It's a Secret to Everybody", default, null);
        // GitHub's published example: HMAC-SHA256("It's a Secret to Everybody", "Hello, World!"). Our content adds "{timestamp}.".
        Assert.Equal("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
            Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret.Secret), Encoding.UTF8.GetBytes("Hello, World!"))));
        var signed = WebhookSigner.HexSignature(secret, 1700000000, Encoding.UTF8.GetBytes("{}"));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(secret.Secret), Encoding.UTF8.GetBytes("1700000000.{}"))), signed);
    }

    [Fact]
    public void Envelope_FieldOrderAndCompactForm()
    {
        var body = Encoding.UTF8.GetString(WebhookEnvelope.Write("event_a", "event.batch.completed", 1737570000000, "1/5", """{ "id" : "batch_x", "n": 3 }"""));
        Assert.Equal("""{"id":"event_a","object":"event.batch.completed","timestamp":1737570000000,"delivery_attempt":"1/5","data":{"id":"batch_x","n":3}}""", body);
    }

    [Fact]
    public async Task Envelope_HostileText_SurvivesJavaScriptReserialization()
    {
        var data = JsonSerializer.Serialize(new
        {
            title = "Ünïcödé 東京 🚀 <b>&amp;</b> 'single' \"double\" back\\slash",
            control = "line\nbreak\ttab\u0001\u001f\b\f\r",
            separators = "\u2028\u2029",
            nested = new[] { new { emoji = "👩‍💻" } },
            count = 42,
            none = (string?)null,
            yes = true,
        });
        var body = WebhookEnvelope.Write("event_a", "event.crawl.completed", 1, "1/4", data);
        Assert.False(body.AsSpan().StartsWith(Encoding.UTF8.Preamble));
        var text = Encoding.UTF8.GetString(body);
        Assert.Contains("東京 🚀 <b>&amp;</b> 'single'", text, StringComparison.Ordinal);

        var file = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllBytesAsync(file, body);
        try
        {
            var check = "const fs=require('fs');const b=fs.readFileSync(process.argv[1],'utf8');" +
                        "process.stdout.write(JSON.stringify(JSON.parse(b))===b?'same':'different:'+JSON.stringify(JSON.parse(b)))";
            var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add("-e");
            info.ArgumentList.Add(check);
            info.ArgumentList.Add(file);
            using var node = Process.Start(info)!;
            var output = await node.StandardOutput.ReadToEndAsync();
            await node.WaitForExitAsync();
            Assert.Equal("same", output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Envelope_FloatingPointData_IsRefused() =>
        Assert.Throws<InvalidOperationException>(() => WebhookEnvelope.Write("event_a", "event.ping", 1, "1/1", """{"ratio":0.5}"""));

    [Fact]
    public async Task Signatures_VerifyWithStandardWebhooksAndSvixPackages()
    {
        var secret = SigningSecret.Create(default);
        var body = WebhookEnvelope.Write("event_abc", "event.batch.completed", 1737570000000, "1/5", """{"title":"Ünï <&> '\"' 🚀"}""");
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var signature = WebhookSigner.StandardSignatures([SigningSecret.Create(default), secret], "event_abc", timestamp, body);
        var hex = WebhookSigner.HexSignature(secret, timestamp, body);
        var script = """
            const { Webhook } = require('standardwebhooks');
            const svix = require('svix');
            const crypto = require('crypto');
            const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
            const headers = { 'webhook-id': input.id, 'webhook-timestamp': input.ts, 'webhook-signature': input.sig };
            new Webhook(input.secret).verify(input.body, headers);
            new svix.Webhook(input.secret).verify(input.body, { 'svix-id': input.id, 'svix-timestamp': input.ts, 'svix-signature': input.sig });
            const payload = JSON.stringify(JSON.parse(input.body));
            const expected = crypto.createHmac('sha256', input.secret).update(`${input.ts}.${payload}`).digest('hex');
            if (!crypto.timingSafeEqual(Buffer.from(input.hex), Buffer.from(expected))) throw new Error('hex mismatch');
            let tampered = false;
            try { new Webhook(input.secret).verify(input.body.replace('Ünï', 'Uni'), headers); } catch { tampered = true; }
            if (!tampered) throw new Error('tampered body accepted');
            process.stdout.write('verified');
            """;
        var stdin = JsonSerializer.Serialize(new { id = "event_abc", ts = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), sig = signature, hex, secret = secret.Secret, body = Encoding.UTF8.GetString(body) });
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Tools,
        };
        info.ArgumentList.Add("-e");
        info.ArgumentList.Add(script);
        using var node = Process.Start(info)!;
        await node.StandardInput.WriteAsync(stdin);
        node.StandardInput.Close();
        var output = await node.StandardOutput.ReadToEndAsync();
        var error = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(output == "verified", error);
    }
}
