namespace Webhooks.Functions.Storage;

/// <summary>Ranges of keys that share a prefix, for range queries on <c>PartitionKey</c> or <c>RowKey</c>.</summary>
internal static class KeyRange
{
    /// <summary>
    /// Sorts after every character the app puts in a key (letters, digits, <c>_</c>, <c>-</c>, <c>:</c>, <c>/</c>), so
    /// the keys with a prefix are the range [prefix, prefix + End).
    /// </summary>
    public const string End = "~";

    /// <summary>Row keys sort below this bound when they start with <c>prefix</c>: <c>'`'</c> follows <c>'_'</c>.</summary>
    public static string PrefixEnd(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return prefix[..^1] + (char)(prefix[^1] + 1);
    }
}
