namespace Webhooks.Bench.Infrastructure;

/// <summary>How to start one of Azurite's services: the file to run, the arguments before the service's own, its environment.</summary>
internal sealed record ServiceCommand(string File, string[] Arguments, IDictionary<string, string>? Environment);

/// <summary>
/// A copy of Azurite 3.35's queue service whose operations no longer cost more the more messages it holds, for the
/// backlog scenario, which holds thousands (one invisible timer message per waiting delivery). The pinned package in
/// tools/ is left as it is: the tests, <c>./build.sh run</c> and every other scenario use it.
/// <para>
/// Why: its message store (LokiJS 1.5.12, four binary indices over every message) runs <c>clearExpiredMessages</c>
/// before each receive, delete, peek and update, which ends in <c>coll.remove(docs)</c> even when nothing expired; an
/// array remove rebuilds all four indices, a full sort of every message held. A receive that returns messages marks
/// them with <c>coll.update(docs)</c>, an array update, which rebuilds them again. Measured with 6,000 invisible
/// messages held (docs/durable-engine.md, "Azurite and waiting deliveries"): about 24 ms of Azurite CPU per empty
/// receive or delete and 44 per receive, against 1–3 ms with none held; with the two changes below, 1.6–5.4 and
/// 2.9–5.9 ms. The changes do what the code did, without the rebuilds: an empty remove is skipped, and each received
/// message is updated on its own (LokiJS then moves it within each index instead of sorting them all).
/// </para>
/// </summary>
internal static class QueueStoreFix
{
    private const string StoreFile = "dist/src/queue/persistence/LokiQueueMetadataStore.js";

    private static readonly (string Original, string Fixed)[] Changes =
    [
        ("        coll.remove(docs);\n    }\n}\nexports.default = LokiQueueMetadataStore;",
         "        if (docs.length > 0) {\n            coll.remove(docs);\n        }\n    }\n}\nexports.default = LokiQueueMetadataStore;"),
        ("        coll.update(docs);\n",
         "        for (const doc of docs) {\n            coll.update(doc);\n        }\n"),
    ];

    /// <summary>
    /// Copies Azurite's code (not its dependencies, which it finds in <paramref name="modules"/> through NODE_PATH) into
    /// <paramref name="folder"/>, applies the changes, and returns the command that starts its queue service. Throws
    /// when a change no longer matches exactly once: another Azurite version needs its own look.
    /// </summary>
    public static ServiceCommand CopyAndApply(string modules, string folder)
    {
        var source = Path.Combine(modules, "azurite");
        var copy = Path.Combine(folder, "azurite-queue-store-fixed");
        CopyDirectory(Path.Combine(source, "dist"), Path.Combine(copy, "dist"));
        File.Copy(Path.Combine(source, "package.json"), Path.Combine(copy, "package.json"));
        var store = Path.Combine(copy, StoreFile);
        var code = File.ReadAllText(store);
        foreach (var (original, @fixed) in Changes)
        {
            var at = code.IndexOf(original, StringComparison.Ordinal);
            if (at < 0 || code.IndexOf(original, at + 1, StringComparison.Ordinal) >= 0)
            {
                throw new InvalidOperationException($"Azurite's {StoreFile} is not the one QueueStoreFix was written for (3.35.0).");
            }
            code = code.Replace(original, @fixed, StringComparison.Ordinal);
        }
        File.WriteAllText(store, code);
        return new ServiceCommand("node", [Path.Combine(copy, "dist", "src", "queue", "main.js")],
            new Dictionary<string, string>(StringComparer.Ordinal) { ["NODE_PATH"] = modules });
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
