using System.Text.Json;
using Webhooks.Receiver.Tests.Support;

namespace Webhooks.Receiver.Tests.Interop;

/// <summary>One independent verifier's verdict.</summary>
/// <param name="Ok">Whether it accepted the delivery.</param>
/// <param name="Error">Its error message when it did not.</param>
public sealed record VerifierOutcome(bool Ok, string? Error);

/// <summary>The verdicts of every independent verifier on one delivery.</summary>
/// <param name="RoundTrip">Whether <c>JSON.stringify(JSON.parse(body)) === body</c> in Node.</param>
/// <param name="StandardWebhooks">The <c>standardwebhooks</c> npm package's <c>Webhook.verify</c>.</param>
/// <param name="Svix">The <c>svix</c> npm package's <c>Webhook.verify</c>.</param>
/// <param name="CrawlDocumentTypeScript">The crawl document's TypeScript snippet (re-serializes the parsed body).</param>
/// <param name="CrawlDocumentPython">The crawl document's Python snippet (raw body).</param>
public sealed record InteropReport(
    bool RoundTrip,
    VerifierOutcome StandardWebhooks,
    VerifierOutcome Svix,
    VerifierOutcome CrawlDocumentTypeScript,
    VerifierOutcome CrawlDocumentPython)
{
    /// <summary>The verifiers by name, for assertions that list which one disagreed.</summary>
    public IReadOnlyDictionary<string, VerifierOutcome> Verifiers => new Dictionary<string, VerifierOutcome>
    {
        ["standardwebhooks"] = StandardWebhooks,
        ["svix"] = Svix,
        ["crawl document TypeScript"] = CrawlDocumentTypeScript,
        ["crawl document Python"] = CrawlDocumentPython,
    };
}

/// <summary>
/// Checks a signed delivery with verifiers that share no code with this repository: the Standard Webhooks and Svix npm
/// packages pinned in <c>tools/package.json</c>, and the crawl document's TypeScript and Python snippets. Copy this
/// class and the <c>Interop/</c> scripts to reuse the approach: the scripts take the delivery as JSON on standard input
/// and print their verdicts as JSON.
/// </summary>
public static class NodeVerifiers
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs every verifier on one delivery.</summary>
    /// <param name="body">The exact request body.</param>
    /// <param name="headers">The request headers as the sender set them.</param>
    /// <param name="secret">The signing secret (<c>whsec_…</c>) the receiver would be configured with.</param>
    public static async Task<InteropReport> VerifyAsync(string body, IReadOnlyDictionary<string, string> headers, string secret)
    {
        var input = JsonSerializer.Serialize(new { body, secret, headers });
        var scripts = Path.Combine(AppContext.BaseDirectory, "Interop");

        var node = await ExternalProcess.RunAsync(
            "node", [Path.Combine(scripts, "verify.mjs"), Path.Combine(ToolsDirectory.Find(), "node_modules")], input, Timeout);
        var python = await ExternalProcess.RunAsync("python3", [Path.Combine(scripts, "verify_crawl_doc.py")], input, Timeout);
        if (node.ExitCode != 0 || python.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"A verifier script failed. node ({node.ExitCode}): {node.StandardError} python ({python.ExitCode}): {python.StandardError}");
        }

        using var nodeResult = JsonDocument.Parse(node.StandardOutput);
        using var pythonResult = JsonDocument.Parse(python.StandardOutput);
        var root = nodeResult.RootElement;
        return new InteropReport(
            root.GetProperty("roundTrip").GetBoolean(),
            Outcome(root.GetProperty("standardwebhooks")),
            Outcome(root.GetProperty("svix")),
            Outcome(root.GetProperty("crawlDocumentTypeScript")),
            Outcome(pythonResult.RootElement));
    }

    private static VerifierOutcome Outcome(JsonElement element) => new(
        element.GetProperty("ok").GetBoolean(),
        element.TryGetProperty("error", out var error) ? error.GetString() : null);
}
