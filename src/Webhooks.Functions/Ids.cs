using System.Security.Cryptography;

namespace Webhooks.Functions;

/// <summary>Ids are <c>prefix_</c> + 16 lowercase alphanumerics (SPEC §3).</summary>
internal static class Ids
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static readonly System.Buffers.SearchValues<char> AlphabetValues = System.Buffers.SearchValues.Create(Alphabet);
    public const int SuffixLength = 16;

    public const string TeamPrefix = "team";
    public const string EndpointPrefix = "ep";
    public const string BatchPrefix = "batch";
    public const string CrawlPrefix = "crawl";
    public const string EventPrefix = "event";
    public const string DeliveryPrefix = "dlv";

    public static string New(string prefix) => WithSuffix(prefix, RandomString(SuffixLength));

    /// <summary>The id of kind <paramref name="prefix"/> with the given suffix: a job's event shares the job id's suffix.</summary>
    public static string WithSuffix(string prefix, string suffix) => prefix + "_" + suffix;

    public static string RandomString(int length) => RandomNumberGenerator.GetString(Alphabet, length);

    /// <summary>A stable id derived from <paramref name="seed"/>: the same seed always gives the same id.</summary>
    public static string Derived(string prefix, string seed)
    {
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed));
        var chars = new char[SuffixLength];
        for (var i = 0; i < SuffixLength; i++)
        {
            chars[i] = Alphabet[hash[i] % Alphabet.Length];
        }
        return WithSuffix(prefix, new string(chars));
    }

    public static bool IsValid(string? id, string prefix) =>
        id is not null
        && id.Length == prefix.Length + 1 + SuffixLength
        && id.StartsWith(prefix + "_", StringComparison.Ordinal)
        && id.AsSpan(prefix.Length + 1).IndexOfAnyExcept(AlphabetValues) < 0;

    public static string Suffix(string id) => id[(id.IndexOf('_', StringComparison.Ordinal) + 1)..];
}
