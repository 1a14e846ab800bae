using Webhooks.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.Functions.Tests.OpenApi;

/// <summary>
/// What a customer does with the OpenAPI document: generate a C# client with Kiota (the repository's dotnet tool
/// manifest pins it), compile a program on it (tests/Webhooks.ClientSession) and run a session against the real app.
/// </summary>
public sealed class GeneratedClientTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string SessionProject = Path.Combine(RepositoryPaths.Root, "tests", "Webhooks.ClientSession");

    private readonly string _work = Directory.CreateTempSubdirectory("webhooks-client-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task GeneratedClient_CompiledIntoAProgram_RunsACustomerSessionAgainstTheApp()
    {
        // Two quick attempts, so that the receiver's 500s end the delivery failed within the session.
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Delivery:Policies:standard"] = "0s,1s" });
        await using var site = await LocalServer.StartAsync(context =>
        {
            context.Response.ContentType = "text/html";
            return context.Response.WriteAsync("<html><head><title>Home</title></head><body>hello</body></html>");
        });
        await using var receiver = await WebhookReceiver.StartAsync((_, context) =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        });
        await using var tokens = await Endpoints.OAuth2TokenServer.StartAsync();
        // The endpoint's receiver accepts only the token just issued and the endpoint's custom header.
        await using var endpointReceiver = await WebhookReceiver.StartAsync((_, context) =>
        {
            var authorized = tokens.IsLatest(context.Request.Headers.Authorization.ToString()) && context.Request.Headers["X-Customer"] == "acme";
            context.Response.StatusCode = authorized ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        });
        var document = Path.Combine(_work, "v1.json");
        using (var client = app.Client(apiKey: null))
        {
            await File.WriteAllBytesAsync(document, await client.GetByteArrayAsync("/openapi/v1.json"));
        }
        var generated = Path.Combine(_work, "Client");

        await RunAsync("dotnet", ["tool", "run", "kiota", "generate", "--language", "CSharp", "--openapi", document, "--output", generated,
            "--class-name", "WebhooksClient", "--namespace-name", "Webhooks.Client", "--exclude-backward-compatible", "--clean-output",
            "--log-level", "Error"]);
        var files = Directory.GetFiles(generated, "*.cs", SearchOption.AllDirectories);
        output.WriteLine($"generated client: {files.Length} files, {files.Sum(f => new FileInfo(f).Length):N0} bytes");
        await RunAsync("dotnet", ["build", SessionProject, "--configuration", "Release", "--output", Path.Combine(_work, "bin"),
            "-p:GeneratedClientDirectory=" + generated, "-warnaserror", "-warnnotaserror:NU1603"]);
        var session = await RunAsync("dotnet", [Path.Combine(_work, "bin", "Webhooks.ClientSession.dll"),
            app.BaseAddress.ToString().TrimEnd('/'), TestApp.DevApiKey, site.Url("/"), receiver.Url,
            tokens.Url, Endpoints.OAuth2TokenServer.ClientId, Endpoints.OAuth2TokenServer.ClientSecret, endpointReceiver.Url]);

        var lines = session.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var batchId = Value(lines, "created: ").Split(' ')[0];
        Assert.StartsWith("batch_", batchId, StringComparison.Ordinal);
        Assert.EndsWith(" event.batch.completed", Value(lines, "event: "), StringComparison.Ordinal);
        var delivery = Value(lines, "delivery: ").Split(' ');
        Assert.Equal(["Failed", "2/2", "attempts_made=2"], delivery[1..]);
        Assert.Equal(["attempt: 1/2 Http_error 500", "attempt: 2/2 Http_error 500"], lines.Where(l => l.StartsWith("attempt: ", StringComparison.Ordinal)));
        var redelivery = Value(lines, "redelivered: ").Split(' ');
        Assert.NotEqual(delivery[0], redelivery[0]);
        Assert.Equal("1/2", redelivery[2]);
        Assert.Contains(delivery[0], Value(lines, "failed deliveries: ").Split(','));
        var stats = Value(lines, "stats: ").Split(' ');
        Assert.Equal(["PT1H", "24"], stats[..2]);
        Assert.True(long.Parse(stats[2]["attempts=".Length..], System.Globalization.CultureInfo.InvariantCulture) >= 2, string.Join(' ', stats));
        Assert.Equal("delivered=0", stats[3]);
        Assert.Equal("400 items[0].url: must be an absolute http or https URL.", Value(lines, "problem: "));
        var endpoint = Value(lines, "endpoint: ").Split(' ');
        Assert.StartsWith("ep_", endpoint[0], StringComparison.Ordinal);
        Assert.Equal(["asymmetric_signing=True", "secret=whsec_"], endpoint[1..]);
        // One Ed25519 key: x is 32 bytes in base64url (43 characters), kid a SHA-256 thumbprint (43 characters).
        Assert.Equal("whpk_ OKP Ed25519 x=43 kid=43 expires_at=null", Value(lines, "public key: "));
        Assert.Equal("X-Customer=acme", Value(lines, "endpoint headers: "));
        Assert.Equal($"{Endpoints.OAuth2TokenServer.ClientId} client_secret_set=True", Value(lines, "endpoint oauth2: "));
        Assert.Equal("Delivered 1/2", Value(lines, "endpoint delivery: "));
        Assert.Equal(["tok-1"], tokens.Issued);
        Assert.Single(endpointReceiver.Received);
        // The redelivery really went out: the receiver saw the first delivery's two attempts and the redelivery's first.
        await receiver.WaitForAsync(3);
    }

    private async Task<string> RunAsync(string program, string[] arguments)
    {
        var (exitCode, text) = await ChildProcess.RunAsync(program, arguments, RepositoryPaths.Root);
        output.WriteLine($"$ {program} {string.Join(' ', arguments)}{Environment.NewLine}{text}");
        Assert.True(exitCode == 0, $"{program} {arguments[0]} exited with {exitCode}: {text}");
        return text;
    }

    private static string Value(string[] lines, string prefix) =>
        Assert.Single(lines, l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];
}
